"""Plain-text views of the library for the terminal (`kit list`, `kit show`)."""

from __future__ import annotations

import dataclasses
import shutil
from typing import Any

from .decks import Selection, show_deck
from .errors import one_line
from .library import Library
from .model import Deck, Handout, Model, Tool
from .templating import render


def count(n: int, one: str, many: str) -> str:
    """`1 kategori`, `4 kategorier`: a Danish count."""
    return f"{n} {one if n == 1 else many}"


def listing(library: Library, width: int | None = None) -> str:
    """What the library holds: tools, decks and handouts with ids, titles and counts,
    each on one line that fits `width` (default: the terminal's)."""
    groups: list[dict[str, Any]] = [
        {
            "heading": "Værktøjer (tools)",
            "rows": [
                {
                    "id": t.id,
                    "title": f"{t.label}: {t.title}",
                    "count": f"{t.agenda.minutes} min, "
                    + count(len(t.agenda.blocks), "punkt", "punkter")
                    + (" (forslag)" if t.agenda.suggested else ""),
                }
                for t in library.tools.values()
            ],
        },
        {
            "heading": "Kortsæt (decks)",
            "rows": [
                {
                    "id": d.id,
                    "title": d.title,
                    "count": count(len(d.cards), "kort", "kort")
                    + ", "
                    + count(len(d.categories), "kategori", "kategorier"),
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
    groups = _shown(groups)
    columns = width or shutil.get_terminal_size((100, 24)).columns
    id_width = max(len(row["id"]) for g in groups for row in g["rows"]) if groups else 10
    for group in groups:
        for row in group["rows"]:
            room = columns - 2 - id_width - 2 - len(row["count"]) - 4
            title = row["title"]
            if len(title) > room:
                title = title[: room - 1].rstrip() + "…" if room > 1 else ""
            row["title"] = title
    return render("terminal/list.txt.j2", groups=groups, id_width=id_width)


def show(library: Library, item_id: str) -> str:
    """One tool, deck or handout, readable in a terminal."""
    item = _shown(library.get(item_id))
    publication = _shown(library.publications[item.source.publication])
    if isinstance(item, Tool):
        questions = _shown({g.id: library.questions(item, g.id) for g in item.group_work})
        return render(
            "terminal/tool.txt.j2", tool=item, publication=publication, questions=questions
        )
    if isinstance(item, Deck):
        shown = show_deck(library, item.id, Selection(instructions=False, warmup=False))
        number = {placed.card.id: placed.number for placed in shown.cards}
        return render(
            "terminal/deck.txt.j2", deck=_shown(shown.deck), publication=publication, number=number
        )
    assert isinstance(item, Handout)
    tools = [library.tool(t) for t in item.tools]
    return render("terminal/handout.txt.j2", handout=item, publication=publication, tools=tools)


def _handout_count(handout: Handout) -> str:
    if handout.table is not None:
        return "tabel, " + count(len(handout.table.rows), "række", "rækker")
    if handout.groups:
        return count(len(handout.groups), "afsnit", "afsnit")
    if handout.paragraphs:
        return count(len(handout.paragraphs), "afsnit", "afsnit")
    if handout.tools:
        return count(len(handout.tools), "tilgang", "tilgange")
    return count(len(handout.items), "punkt", "punkter")


def _shown(value: Any) -> Any:
    """`value` with each text as a terminal shows it safely: on one line (the views put
    the line breaks), every other control (ESC, a carriage return, U+202E) escaped
    (`one_line`). The same object when nothing needs it, as nearly always."""
    if isinstance(value, str):
        return value if value.isprintable() else one_line(" ".join(value.split()))
    if isinstance(value, list):
        items = [_shown(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = {_shown(k): _shown(v) for k, v in value.items()}
        same = all(a is b for a, b in zip(pairs.values(), value.values(), strict=True))
        return value if same and pairs.keys() == value.keys() else pairs
    if isinstance(value, Model):
        changed = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _shown(old)
            if new is not old:
                changed[f.name] = new
        return dataclasses.replace(value, **changed) if changed else value
    return value
