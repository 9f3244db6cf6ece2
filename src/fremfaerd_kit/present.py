"""The facilitator screen: one self-contained HTML file that runs the agenda on the day.

Everything the page needs is inside it: the kit's blocks with their questions, tasks and
TIP boxes, the decks for the card mode, the fonts (subset to the characters used), the
style and the script. It makes no network request.

Running late or early is handled without a second copy of the fitting rules: for every
slot boundary, the rest of the agenda is fitted here, in Python, to every length the rest
can take (`schedule.rest`), and the page only looks the answer up.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .colours import text_on
from .decks import (
    INSTRUCTION,
    WARMUP,
    Selection,
    ShownDeck,
    added_category,
    category_label,
    show_deck,
)
from .documents import MAX_SLIDES
from .fonts import printable_ranges, web_font
from .frontmatter import Look
from .library import Library
from .schedule import Schedule, SlotBounds, day_bounds, rest
from .templating import fill, filler, render


def _slot(
    library: Library,
    schedule: Schedule,
    index: int,
    vars: Mapping[str, str],
    bounds: SlotBounds,
) -> dict[str, Any]:
    slot = schedule.slots[index]
    block = slot.block
    # The bounds the page keeps when it moves a remainder or gives five minutes more or less.
    kept = {"least": bounds.least, "most": bounds.most, "ceiling": bounds.ceiling}
    if block is None:
        return {"title": None, "minutes": slot.minutes, "start": slot.start, **kept}
    tool = schedule.tool
    out: dict[str, Any] = {
        "id": block.id,
        "title": fill(block.title, vars) + (" *" if tool.agenda.marked(block) else ""),
        "minutes": slot.minutes,
        "start": slot.start,
        **kept,
        "facilitatorOnly": block.facilitator_only,
        "notes": [fill(n, vars) for n in block.notes],
        "questions": [fill(q, vars) for q in block.questions],
    }
    if block.group_work:
        group = tool.group(block.group_work)
        out["group"] = {
            "title": fill(group.title, vars),
            "heading": fill(library.question_heading(tool, group.id) or "", vars) or None,
            "questions": [fill(q, vars) for q in library.questions(tool, group.id)],
            "task": fill(group.task, vars) if group.task else None,
            "tips": [
                {"title": fill(t.title, vars), "text": fill(t.text, vars), "link": t.link}
                for t in group.tips
            ],
        }
    return out


def _deck(shown: ShownDeck) -> dict[str, Any]:
    """A deck for the card mode: the cards as every output shows them."""
    deck = shown.deck
    own = {c.id for c in deck.categories}
    categories = [
        {
            "id": c.id,
            "name": category_label(c) if c.id in own else c.name,
            "colour": c.colour,
            "ink": text_on(c.colour),
        }
        for c in [*deck.categories, *(added_category(k) for k in (INSTRUCTION, WARMUP))]
    ]
    cards = []
    for card in shown.cards:
        entry: dict[str, Any] = {"category": card.card.category}
        if card.card.category == INSTRUCTION:
            entry["guide"] = [
                {"role": p.role, "text": p.text, "number": p.number} for p in shown.guide
            ]
        elif card.card.category == WARMUP:
            entry["lead"] = deck.warmup_lead
            entry["question"] = card.card.question[:1].upper() + card.card.question[1:]
        else:
            entry["question"] = card.card.question
            entry["number"] = card.number
            if card.card.example:
                entry["example"] = card.card.example
                entry["exampleLabel"] = card.card.example_label
        cards.append(entry)
    return {
        "id": deck.id,
        "title": deck.title,
        "credit": shown.credit,
        "categories": categories,
        "cards": cards,
    }


GROUPS = 3
"""Groups a meeting has where no kit file says (the kit file's own default)."""


def facilitator_data(
    library: Library,
    schedule: Schedule,
    decks: Sequence[tuple[str, Selection]] = (),
    variables: Mapping[str, str] | None = None,
    groups: int = GROUPS,
) -> dict[str, Any]:
    """Everything the page shows and looks up, as plain data (it is embedded as JSON)."""
    vars = dict(variables or {})
    tool = schedule.tool
    fits = [rest(schedule, i) for i in range(len(schedule.slots))]
    return {
        "title": vars.get("titel") or tool.meeting.title,
        "toolId": tool.id,
        "groups": groups,
        "tool": tool.label,
        "toolTitle": tool.title,
        "place": " · ".join(v for v in (vars.get("kommune"), vars.get("arbejdsplads")) if v),
        # Kept in the notes, so that the referat and the next kit know the meeting's own.
        "variables": {k: v for k, v in sorted(vars.items()) if isinstance(v, str)},
        "minutes": schedule.minutes,
        "step": schedule.step,
        "start": schedule.start.strftime("%H:%M") if schedule.start else None,
        "date": schedule.day.isoformat() if schedule.day else None,
        "closing": fill(tool.meeting.closing_question, vars)
        if tool.meeting.closing_question
        else None,
        "slots": [
            _slot(library, schedule, i, vars, bounds)
            for i, bounds in enumerate(day_bounds(schedule))
        ],
        "rest": [
            {"least": r.least, "step": r.step, "lengths": [list(row) for row in r.lengths]}
            for r in fits
        ],
        # A deck for projecting one card at a time; a print run of thousands is left out
        # (its cards would make the page megabytes, not a meeting any longer).
        "decks": [
            _deck(show_deck(library, deck_id, selection, filler(vars)))
            for deck_id, selection in decks
            if len(library.deck(deck_id).cards) <= MAX_SLIDES
        ],
        "credit": library.publications[tool.source.publication].credit,
        # What a typed note may hold: the characters the referat's font prints.
        "printable": printable_ranges(),
    }


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def facilitator_html(
    library: Library,
    schedule: Schedule,
    decks: Sequence[tuple[str, Selection]] = (),
    *,
    variables: Mapping[str, str] | None = None,
    templates: Iterable[Path] = (),
    look: Look | None = None,
    groups: int = GROUPS,
) -> bytes:
    """The facilitator screen as one HTML file (`groups`: the numbers notes are tagged with)."""
    data = facilitator_data(library, schedule, decks, variables, groups)
    look = look or Look()
    page = render(
        "present/facilitator.html.j2",
        templates,
        data=data,
        tool=schedule.tool,
        accent=look.accent,
        footer=look.footer,
        logo=_data_url(look.logo) if look.logo else None,
        fonts={},
    )
    # The fonts carry exactly the characters of the page (its words and the content's).
    characters = set(page) | set("".join(_texts(data)))
    fonts = {
        weight: "data:font/ttf;base64," + base64.b64encode(web_font(weight, characters)).decode()
        for weight in ("regular", "bold")
    }
    page = render(
        "present/facilitator.html.j2",
        templates,
        data=data,
        tool=schedule.tool,
        accent=look.accent,
        footer=look.footer,
        logo=_data_url(look.logo) if look.logo else None,
        fonts=fonts,
    )
    return page.encode("utf-8")


def _data_url(image: bytes) -> str:
    kind = "png" if image.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(image).decode()
