"""A deck as shown: the one view of "the cards of a deck" that every output prints.

Cards, slides, the facilitator screen's card mode and the terminal all show a deck the
same way: the cards a selection keeps (categories, single cards, shuffled or not), the
cards the kit adds ahead of them (the deck's guidance as an instruction card, its
warm-up topics), each card's number in its deck, the labels of its categories and the
version of its content. This module makes that view once, with the kit's variables
filled into the content text that uses them (`Vi afprøver {{ teknologi }}`), so that a
card reads the same on paper, on the projector and on the screen.

Filling is a function passed in (the templating module's, bound to the kit's variables),
so this module knows no Jinja; a problem filling a text is located at its field.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import ContentError, InputError, Location, Problem
from .library import Library, unknown_id
from .model import Card, Category, Deck
from .presets import labels

INSTRUCTION = "kit-vejledning"
WARMUP = "kit-opvarmning"
"""Category ids of the cards the kit adds to a deck (not valid content ids: no clash)."""

Fill = Callable[[str], str]
"""Content text with the kit's variables filled in (any other text as written)."""
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Selection:
    """Which of a deck's cards are shown, and what the kit adds ahead of them."""

    categories: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    """Card ids; none: every card (of the chosen categories)."""
    instructions: bool = True
    """The deck's guidance (intro, steps, notes, full credit) as cards ahead of the deck."""
    warmup: bool = True
    """The deck's warm-up topics as cards, marked as warm-up, after the instructions."""
    shuffle: bool = False
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class PlacedCard:
    """A card as shown, with its number in its deck (added cards: their own count) and
    its place in the deck's file (-1 for a card the kit adds)."""

    deck: Deck
    card: Card
    number: int
    index: int = -1


@dataclass(frozen=True, slots=True)
class GuidePart:
    """One piece of a deck's instructions, in reading order (cards and screens alike).

    `role`: title, text, item (of the list the intro leads in to), steps_title, step (with
    its `number`), note (the guidance's own notes and the kit's notes on how it arranged
    the deck) or credit.
    """

    role: str
    text: str
    key: KeyPath
    number: int = 0


@dataclass(frozen=True)
class ShownDeck:
    """A deck as every output shows it; `deck` has the kit's variables filled in."""

    deck: Deck
    cards: list[PlacedCard]
    """The instruction card, the warm-up cards, then the chosen cards, in order."""
    guide: list[GuidePart]
    """The instruction card's parts; empty where the deck has none or they are left out."""
    credit: str
    """The full credit of the deck's publication."""

    @property
    def version(self) -> str:
        return deck_version(self.deck)

    def categories(self) -> list[Category]:
        """The deck's categories, then the added cards' (instruction, warm-up) it shows."""
        added = dict.fromkeys(p.card.category for p in self.cards if p.index < 0)
        return [*self.deck.categories, *(added_category(kind) for kind in added)]


def show_decks(
    library: Library, deck_ids: Sequence[str], selection: Selection, fill: Fill | None = None
) -> list[ShownDeck]:
    """The decks of `deck_ids` as shown: filtered (unknown categories and cards named),
    shuffled the same way with a seed, the added cards ahead; a deck left with no card is
    left out, and none left at all is an error."""
    decks = [library.deck(d) for d in deck_ids]
    known_categories = {c.id for d in decks for c in d.categories}
    for category in selection.categories:
        if category not in known_categories:
            raise InputError("--category: " + unknown_id("category", category, known_categories))
    known_cards = {c.id for d in decks for c in d.cards}
    for card_id in selection.only:
        if card_id not in known_cards:
            raise InputError("--only: " + unknown_id("card", card_id, known_cards))
    rng = random.Random(selection.seed)
    shown: list[ShownDeck] = []
    problems: list[Problem] = []
    for deck in decks:
        filled = _filled(library, deck, fill, problems) if fill else deck
        chosen = [
            PlacedCard(filled, card, i + 1, i)
            for i, card in enumerate(filled.cards)
            if (not selection.categories or card.category in selection.categories)
            and (not selection.only or card.id in selection.only)
        ]
        if selection.shuffle:
            rng.shuffle(chosen)
        if chosen:
            guide = (
                instruction_parts(library, filled)
                if selection.instructions and _has_guide(filled)
                else []
            )
            cards = _added_cards(filled, selection, bool(guide)) + chosen
            credit = library.publications[deck.source.publication].credit
            shown.append(ShownDeck(filled, cards, guide, credit))
    if problems:
        raise ContentError(problems)
    if not shown:
        raise InputError("no cards left after --category/--only")
    return shown


def show_deck(
    library: Library, deck_id: str, selection: Selection | None = None, fill: Fill | None = None
) -> ShownDeck:
    """One deck as shown (see `show_decks`)."""
    (shown,) = show_decks(library, [deck_id], selection or Selection(), fill)
    return shown


def _has_guide(deck: Deck) -> bool:
    return bool(deck.guidance or deck.intro or deck.intro_items or kit_notes(deck))


def _added_cards(deck: Deck, selection: Selection, guide: bool) -> list[PlacedCard]:
    """The cards the kit adds ahead of a deck: its instructions, then its warm-up topics."""
    added = []
    if guide:
        card = Card(id=INSTRUCTION, category=INSTRUCTION, question="")
        added.append(PlacedCard(deck, card, 0))
    if selection.warmup:
        for i, topic in enumerate(deck.warmup, start=1):
            card = Card(id=f"{WARMUP}-{i}", category=WARMUP, question=topic)
            added.append(PlacedCard(deck, card, i))
    return added


def _filled(library: Library, deck: Deck, fill: Fill, problems: list[Problem]) -> Deck:
    """`deck` with the kit's variables filled into its texts; the deck itself where no
    text uses one (the usual case: nothing is copied)."""

    def text(value: str, key: KeyPath) -> str:
        try:
            return fill(value)
        except InputError as exc:
            problems.append(Problem(where(library, deck, key), f"deck `{deck.id}`: {exc}"))
            return value

    def maybe(value: str | None, key: KeyPath) -> str | None:
        return None if value is None else text(value, key)

    changes: dict[str, object] = {}
    for name in ("title", "short_title", "intro", "warmup_lead"):
        value = getattr(deck, name)
        if value is not None and (new := text(value, (name,))) != value:
            changes[name] = new
    for name in ("warmup", "intro_items"):
        texts = [text(t, (name, i)) for i, t in enumerate(getattr(deck, name))]
        if texts != getattr(deck, name):
            changes[name] = texts
    categories = [
        dataclasses.replace(c, name=name)
        if (name := text(c.name, ("categories", i, "name"))) != c.name
        else c
        for i, c in enumerate(deck.categories)
    ]
    if any(new is not old for new, old in zip(categories, deck.categories, strict=True)):
        changes["categories"] = categories
    if deck.guidance is not None:
        g = deck.guidance
        guidance = dataclasses.replace(
            g,
            title=text(g.title, ("guidance", "title")),
            paragraphs=[text(p, ("guidance", "paragraphs", i)) for i, p in enumerate(g.paragraphs)],
            steps_title=maybe(g.steps_title, ("guidance", "steps_title")),
            steps=[text(s, ("guidance", "steps", i)) for i, s in enumerate(g.steps)],
            notes=[text(n, ("guidance", "notes", i)) for i, n in enumerate(g.notes)],
        )
        if guidance != g:
            changes["guidance"] = guidance
    cards = []
    for i, card in enumerate(deck.cards):
        question = text(card.question, ("cards", i, "question"))
        example = maybe(card.example, ("cards", i, "example"))
        if question != card.question or example != card.example:
            card = dataclasses.replace(card, question=question, example=example)
        cards.append(card)
    if any(new is not old for new, old in zip(cards, deck.cards, strict=True)):
        changes["cards"] = cards
    return dataclasses.replace(deck, **changes) if changes else deck  # type: ignore[arg-type]


def where(library: Library, deck: Deck, path: KeyPath) -> Location:
    """Where `path` of `deck` is in its file."""
    source = library.files.get(deck.id)
    return source.locate(path) if source else Location(deck.id, path=".".join(map(str, path)))


def instruction_parts(library: Library, deck: Deck) -> list[GuidePart]:
    """The deck's intro and guidance, the kit's notes on it and the full credit."""
    guide = deck.guidance
    parts = [GuidePart("title", guide.title if guide else deck.title, ("guidance",))]
    if deck.intro:
        parts.append(GuidePart("text", deck.intro, ("intro",)))
    for i, item in enumerate(deck.intro_items):
        parts.append(GuidePart("item", item, ("intro_items", i)))
    if guide:
        for i, paragraph in enumerate(guide.paragraphs):
            parts.append(GuidePart("text", paragraph, ("guidance", "paragraphs", i)))
        if guide.steps_title:
            parts.append(GuidePart("steps_title", guide.steps_title, ("guidance",)))
        for i, step in enumerate(guide.steps):
            parts.append(GuidePart("step", step, ("guidance", "steps", i), i + 1))
        for i, note in enumerate(guide.notes):
            parts.append(GuidePart("note", note, ("guidance", "notes", i)))
    for note in kit_notes(deck):
        parts.append(GuidePart("note", note, ("arranged_by_kit",)))
    publication = library.publications[deck.source.publication]
    parts.append(GuidePart("credit", f"{publication.credit}.", ("source",)))
    return parts


def category_label(category: Category) -> str:
    """The category's name as printed: with `*` where the name is the kit's, not the source's."""
    return f"{category.name} *" if category.named_by_kit else category.name


def kit_notes(deck: Deck) -> list[str]:
    """The kit's own notes on how it arranged a deck, for its instruction card."""
    notes = []
    if deck.arranged_by_kit:
        notes.append(f"{labels()['kit_note']} {deck.arranged_by_kit}")
    if any(c.named_by_kit for c in deck.categories):
        notes.append(labels()["named_by_kit"])
    return notes


def added_category(category_id: str) -> Category:
    """The band of an added card: `Vejledning` or `Opvarmning`, in the kit's own colours."""
    words = labels()
    kind = "instruction" if category_id == INSTRUCTION else "warmup"
    return Category(id=category_id, name=words[f"{kind}_band"], colour=words[f"{kind}_colour"])


def deck_version(deck: Deck) -> str:
    """Seven hex digits that change whenever anything in the deck's content changes, so a
    printed deck can be told from a newer one."""
    kept = _VERSIONS.get(id(deck))
    if kept is None or kept[0] is not deck:
        text = json.dumps(deck.plain(), ensure_ascii=False, separators=(",", ":"))
        kept = _VERSIONS[id(deck)] = (deck, hashlib.sha256(text.encode()).hexdigest()[:7])
    return kept[1]


_VERSIONS: dict[int, tuple[Deck, str]] = {}
"""Each deck's version, worked out once (a deck of thousands of cards takes a while)."""
