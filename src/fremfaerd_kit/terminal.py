"""Plain-text views of the library for the terminal (`kit list`, `kit show`)."""

from __future__ import annotations

from .library import Library
from .model import Deck, Handout, Tool
from .templating import render


def listing(library: Library) -> str:
    """What the library holds: tools, decks and handouts with ids, titles and counts."""
    groups = [
        {
            "heading": "Værktøjer (tools)",
            "rows": [
                {
                    "id": t.id,
                    "title": f"{t.label}: {t.title}",
                    "count": f"{t.agenda.minutes} min, {len(t.agenda.blocks)} punkter"
                    + (" (forslag)" if t.agenda.suggested else ""),
                }
                for t in library.tools.values()
            ],
        },
        {
            "heading": "Kortbunker (decks)",
            "rows": [
                {
                    "id": d.id,
                    "title": d.title,
                    "count": f"{len(d.cards)} kort, {len(d.categories)} kategorier",
                }
                for d in library.decks.values()
            ],
        },
        {
            "heading": "Uddelingsark (handouts)",
            "rows": [
                {"id": h.id, "title": h.title, "count": _handout_count(h)}
                for h in library.handouts.values()
            ],
        },
    ]
    return render("terminal/list.txt.j2", groups=groups)


def show(library: Library, item_id: str) -> str:
    """One tool, deck or handout, readable in a terminal."""
    item = library.get(item_id)
    publication = library.publications[item.source.publication]
    if isinstance(item, Tool):
        questions = {g.id: library.questions(item, g.id) for g in item.group_work}
        return render(
            "terminal/tool.txt.j2", tool=item, publication=publication, questions=questions
        )
    if isinstance(item, Deck):
        number = {card.id: i for i, card in enumerate(item.cards, start=1)}
        return render("terminal/deck.txt.j2", deck=item, publication=publication, number=number)
    assert isinstance(item, Handout)
    return render("terminal/handout.txt.j2", handout=item, publication=publication)


def _handout_count(handout: Handout) -> str:
    if handout.table is not None:
        return f"tabel, {len(handout.table.rows)} rækker"
    if handout.groups:
        return f"{len(handout.groups)} grupper"
    return f"{len(handout.items)} punkter"
