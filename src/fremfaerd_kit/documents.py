"""The facilitator guide, the group worksheets and the handouts of the library, as PDFs.

Each document is a Jinja template under `templates/documents/` that renders Markdown;
`document.markdown_pdf` typesets it. The functions here only gather what a template sees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date, time
from pathlib import Path
from typing import Any

from .agenda import context
from .decks import (
    INSTRUCTION,
    WARMUP,
    Selection,
    added_category,
    category_label,
    instruction_parts,
    show_deck,
)
from .errors import InputError
from .frontmatter import Look
from .library import Library
from .model import DeckSlide
from .schedule import Schedule, fit
from .templating import filler, render, values

Variables = Mapping[str, str]
MAX_GROUPS = 30
MAX_SLIDES = 1_000
"""Slides of one deck: a presentation, not a print run (a slide takes a few milliseconds)."""


def _tool_context(
    library: Library,
    tool_id: str,
    variables: Variables,
    *,
    minutes: int | None = None,
    start: time | None = None,
    day: date | None = None,
) -> dict[str, Any]:
    schedule = fit(library.tool(tool_id), minutes, start=start, day=day)
    return {**context(library, schedule, variables=variables), "day": day}


def guide_markdown(
    library: Library,
    tool_id: str,
    *,
    minutes: int | None = None,
    start: time | None = None,
    day: date | None = None,
    variables: Variables | None = None,
    templates: Iterable[Path] = (),
    decks: Iterable[str] = (),
) -> str:
    """The meeting leader's guide to a tool, as Markdown with front matter; with `decks`
    (the kit's card decks), a section on how to use each that has guidance."""
    context = _tool_context(
        library, tool_id, variables or {}, minutes=minutes, start=start, day=day
    )
    chosen = [library.deck(d) for d in decks]
    context["decks"] = chosen
    context["deck_publications"] = {
        d.id: library.publications[d.source.publication] for d in chosen
    }
    return render("documents/guide.md.j2", templates, **context)


def worksheet_markdown(
    library: Library,
    tool_id: str,
    *,
    groups: int = 0,
    day: date | None = None,
    variables: Variables | None = None,
    templates: Iterable[Path] = (),
) -> str:
    """One sheet per group-work task; with `groups`, one labelled set per group."""
    if not 0 <= groups <= MAX_GROUPS:
        raise InputError(f"--groups {groups}: give a number from 1 to {MAX_GROUPS}")
    context = _tool_context(library, tool_id, variables or {}, day=day)
    if not context["tool"].group_work:
        raise InputError(f"{tool_id}: the tool has no group work to make worksheets for")
    context["groups"] = list(range(1, groups + 1)) if groups else [0]
    return render("documents/worksheet.md.j2", templates, **context)


def handout_markdown(
    library: Library,
    handout_id: str,
    *,
    templates: Iterable[Path] = (),
    variables: Variables | None = None,
) -> str:
    """A handout as Markdown with front matter; an overview handout with each of its
    tools and the tool's agenda at its own length."""
    handout = library.handout(handout_id)
    tools = [library.tool(t) for t in handout.tools]
    return render(
        "documents/handout.md.j2",
        templates,
        handout=handout,
        publication=library.publications[handout.source.publication],
        vars=values(variables),
        tools=tools,
        schedules={t.id: fit(t) for t in tools},
    )


def pdf(markdown: str, *, paper: str = "a4", where: str = "", look: Look | None = None) -> bytes:
    """Typeset a rendered document template."""
    from .typesetters.pdf import markdown_pdf

    return markdown_pdf(markdown, paper_id=paper, look=look, where=where)


def typeset(
    markdown: str, fmt: str = "pdf", *, paper: str = "a4", where: str = "", look: Look | None = None
) -> bytes:
    """A rendered document template as a PDF or, for editing in Word, a DOCX."""
    if fmt == "docx":
        from .typesetters.word import markdown_docx

        return markdown_docx(markdown, paper_id=paper, look=look, where=where)
    return pdf(markdown, paper=paper, where=where, look=look)


def tool_slides_markdown(
    library: Library,
    schedule: Schedule,
    *,
    variables: Variables | None = None,
    templates: Iterable[Path] = (),
) -> str:
    """Slides for the workshop of `schedule`'s tool, fitted to its minutes."""
    return render(
        "documents/slides.md.j2", templates, **context(library, schedule, variables=variables)
    )


def deck_slides_markdown(
    library: Library,
    deck_id: str,
    *,
    variables: Variables | None = None,
    templates: Iterable[Path] = (),
    selection: Selection | None = None,
) -> str:
    """A deck as slides: its guidance, warm-up and cards, or the source's own slides."""
    deck = library.deck(deck_id)
    count = len(deck.slides or deck.cards)
    if count > MAX_SLIDES:
        raise InputError(
            f"deck `{deck_id}` would be {count:,} slides; slides are made for decks of at "
            f"most {MAX_SLIDES:,} cards (print a larger deck with kit cards)"
        )
    vars = dict(variables or {})
    # Slides show the whole deck in its order; the selection says what is added ahead.
    chosen = selection or Selection()
    shown = show_deck(
        library, deck_id, Selection(instructions=chosen.instructions, warmup=chosen.warmup),
        filler(vars),
    )  # fmt: skip
    deck = shown.deck
    slides = []
    cards = {p.card.id: p.card for p in shown.cards if p.index >= 0}
    for slide in deck.slides or [DeckSlide(card=card.id) for card in deck.cards]:
        card = cards.get(slide.card) if slide.card else None
        category = deck.category(card.category if card else slide.category or "")
        text = card.question if card else slide.text or ""
        slides.append(
            {
                "category": category,
                "label": category_label(category),
                "lines": text.split("\n"),
                # The source's own slides show the question alone; a deck's cards their example.
                "example": card.example if card and not deck.slides else None,
                "example_label": card.example_label if card else "",
            }
        )
    return render(
        "documents/deck-slides.md.j2",
        templates,
        vars=values(vars),
        deck=dataclasses.replace(deck, warmup=deck.warmup if chosen.warmup else []),
        publication=library.publications[deck.source.publication],
        # The title slide and the credit even where the deck has no guidance of its own.
        guide=instruction_parts(library, deck) if chosen.instructions else [],
        instruction=added_category(INSTRUCTION),
        warmup=added_category(WARMUP),
        slides=slides,
    )
