"""The content model: what a tool, a deck, a card and a handout are. Validation of shape lives here.

Each class is the schema of one YAML mapping: its fields are the keys a consultant may
write, with a description each. Unknown keys are errors; types are strict (no "10" for 10).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
"""Stable ascii id: lower-case letters, digits and single hyphens (`vaerktoej2`)."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000, strip_whitespace=False)]
"""Printed text: a paragraph is a few hundred characters; 20,000 is a page of small type."""
CardText = Annotated[str, StringConstraints(min_length=1, max_length=4_000)]
"""Text on a card: more than any card size holds."""
MAX_CARDS = 40_000
"""Cards in one deck, and in one card PDF."""
MAX_BLOCKS = 40
"""Blocks of one agenda. The facilitator screen carries the fit of the rest of the agenda
for every block and every length, which grows with the square of the blocks: 40 blocks
of a 24-hour session is two seconds' work and under a megabyte."""
Minutes = Annotated[int, Field(gt=0, le=24 * 60)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SourceRef(Model):
    """Where an item comes from, so printed material can credit it."""

    publication: Id = Field(description="id of a publication in `content/sources.yaml`")
    section: Text = Field(description="the section or chapter of the publication")
    credit: Text | None = Field(None, description="attribution line printed with the item")


class Publication(Model):
    """A source publication."""

    id: Id
    title: Text
    publisher: str = Field(description="who published it (may be empty when unknown)")
    date: str | None = Field(None, description="publication date, YYYY-MM-DD, when known")
    short: str | None = Field(None, description="the short credit printed on every card")
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]{1,500}$")] | None = Field(
        None, description="where the publication can be read (the QR code of `kit cards --qr`)"
    )

    @property
    def credit(self) -> str:
        """The full credit: `Publisher: Title`, or the title alone."""
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

    @property
    def short_credit(self) -> str:
        """The short credit for a card's footer."""
        return self.short or self.publisher or self.title


class SourcesFile(Model):
    """`content/sources.yaml`: the publications the content credits."""

    kind: Literal["sources"]
    sources: list[Publication] = Field(min_length=1)


# --- decks -----------------------------------------------------------------------------


class Category(Model):
    """A group of cards in a deck, printed with its own colour."""

    id: Id
    name: Text = Field(description="printed on each card of the category")
    colour: Colour = Field(description="card colour, `#RRGGBB`")
    heading: Text | None = Field(None, description="heading used on worksheets and handouts")
    question: Text | None = Field(None, description="the question the category answers")
    source: SourceRef | None = None
    named_by_kit: bool = Field(
        False, description="the name is the kit's grouping, not the source's: marked with *"
    )


class Card(Model):
    """One dialogue card: a question, optionally with its example."""

    id: Id
    category: Id = Field(description="id of one of the deck's categories")
    question: CardText
    example: CardText | None = Field(None, description="the example text, without its label")
    example_label: Text = Field("For eksempel", description="label printed before the example")
    source: SourceRef | None = Field(None, description="overrides the deck's source")


class Guidance(Model):
    """How to use a deck, as printed in its source."""

    title: Text
    paragraphs: list[Text] = []
    steps_title: Text | None = None
    steps: list[Text] = []
    notes: list[Text] = []


class DeckSlide(Model):
    """One slide of a deck that is a slide deck in its source: a card, or the slide's words."""

    card: Id | None = Field(None, description="id of the deck's card the slide asks")
    text: CardText | None = Field(None, description="the slide's own words, a line a line")
    category: Id | None = Field(None, description="whose colour the slide takes (text slides)")

    @model_validator(mode="after")
    def _one_of(self) -> DeckSlide:
        if (self.card is None) == (self.text is None):
            raise ValueError("give either `card` or `text`")
        return self


class Deck(Model):
    """A deck of question cards in categories."""

    kind: Literal["deck"]
    id: Id
    replaces: bool = Field(
        False, description="true to replace the built-in item with the same id on purpose"
    )
    title: Text
    short_title: Text = Field(description="printed in the footer of each card")
    audience: Text | None = None
    source: SourceRef
    intro: Text | None = None
    guidance: Guidance | None = None
    warmup: list[Text] = Field([], description="topics to talk about before the first card")
    arranged_by_kit: Text | None = Field(
        None, description="how the kit, not the source, arranged the deck: printed as its note"
    )
    warmup_lead: Text | None = Field(
        None, description="the words that lead in to the warm-up topics, printed on their cards"
    )
    categories: list[Category] = Field(min_length=1)
    cards: list[Card] = Field(min_length=1, max_length=MAX_CARDS)
    slides: list[DeckSlide] = Field(
        [], max_length=MAX_CARDS, description="the source's own slides, for `kit slides`"
    )

    def category(self, category_id: str) -> Category:
        """The category with `category_id`."""
        return next(c for c in self.categories if c.id == category_id)

    def cards_in(self, category_id: str) -> list[Card]:
        """The cards of one category, in deck order."""
        return [c for c in self.cards if c.category == category_id]


# --- tools -----------------------------------------------------------------------------


class Tip(Model):
    """A TIP box."""

    title: Text
    text: Text
    link: Text | None = None


class QuestionsRef(Model):
    """Take a group work's questions from a deck category instead of repeating them."""

    deck: Id
    category: Id


class GroupWork(Model):
    """A group-work task with the questions to put to the groups."""

    id: Id
    title: Text
    heading: Text | None = None
    minutes: Minutes | None = None
    task: Text | None = None
    questions: list[Text] = []
    questions_from: QuestionsRef | None = None
    tips: list[Tip] = []


class AgendaBlock(Model):
    """One block of the facilitator's agenda."""

    id: Id
    title: Text
    minutes: Minutes = Field(description="length at the tool's own duration")
    min_minutes: Minutes | None = Field(None, description="never shorter than this when scaled")
    max_minutes: Minutes | None = Field(None, description="never longer than this when scaled")
    fixed: bool = Field(False, description="keeps its minutes whatever the session length")
    facilitator_only: bool = Field(
        False, description="left out of the participants' agenda (folded into the item before)"
    )
    notes: list[Text] = []
    questions: list[Text] = []
    group_work: Id | None = Field(None, description="id of the tool's group work done here")

    @model_validator(mode="after")
    def _bounds_hold_minutes(self) -> AgendaBlock:
        if self.min_minutes is not None and self.min_minutes > self.minutes:
            raise ValueError(f"min_minutes {self.min_minutes} is more than minutes {self.minutes}")
        if self.max_minutes is not None and self.max_minutes < self.minutes:
            raise ValueError(f"max_minutes {self.max_minutes} is less than minutes {self.minutes}")
        return self


class Agenda(Model):
    """The facilitator's agenda; the participants' agenda is derived from it."""

    suggested: bool = Field(False, description="true when the minutes are the kit's suggestion")
    break_after_minutes: Minutes | None = Field(
        None, description="sessions longer than this get a break"
    )
    break_minutes: Minutes = 15
    blocks: list[AgendaBlock] = Field(
        min_length=1,
        max_length=MAX_BLOCKS,
        description=f"the blocks in order (at most {MAX_BLOCKS}: an afternoon has a dozen)",
    )

    @property
    def minutes(self) -> int:
        """Total length at the tool's own duration."""
        return sum(b.minutes for b in self.blocks)


class UseWhen(Model):
    title: Text
    items: list[Text] = Field(min_length=1)


class Duration(Model):
    text: Text
    min_minutes: Minutes
    max_minutes: Minutes


class Example(Model):
    title: Text
    text: Text


class Meeting(Model):
    """The meeting the tool's agenda is for."""

    title: Text
    facilitator_heading: Text | None = None
    participant_heading: Text | None = None
    purpose: Text | None = None
    participant_note: Text | None = None
    duration_text: Text | None = None
    audience: Text | None = None
    closing_question: Text | None = None


class Checklist(Model):
    title: Text
    items: list[Text] = Field(min_length=1)


class Tool(Model):
    """A workshop tool or meeting format: its guidance, agenda and group work."""

    kind: Literal["tool"]
    id: Id
    replaces: bool = Field(
        False, description="true to replace the built-in item with the same id on purpose"
    )
    label: Text = Field(description="short name, e.g. `Værktøj 2`")
    title: Text
    source: SourceRef
    intro: list[Text] = []
    purpose: Text
    use_when: UseWhen | None = None
    participants: Text | None = None
    preparation_time: Text | None = None
    duration: Duration | None = None
    exercise_purpose: Text | None = None
    preparation: list[Text] = []
    steps: list[Text] = []
    example: Example | None = None
    meeting: Meeting
    agenda: Agenda
    group_work: list[GroupWork] = []
    checklist: Checklist | None = None

    def group(self, group_id: str) -> GroupWork:
        """The group work with `group_id`."""
        return next(g for g in self.group_work if g.id == group_id)


# --- handouts --------------------------------------------------------------------------


class HandoutItem(Model):
    title: Text | None = None
    detail: Text | None = Field(None, description="a short line under the title")
    text: Text


class HandoutGroup(Model):
    title: Text
    items: list[HandoutItem] = Field(min_length=1)


class Table(Model):
    columns: list[Text] = Field(min_length=1)
    rows: list[list[Text]] = Field(min_length=1)

    @model_validator(mode="after")
    def _rows_fit(self) -> Table:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {i} has {len(row)} cells; the table has {len(self.columns)} columns"
                )
        return self


class Handout(Model):
    """A one-page handout: an advice list, a model or a table."""

    kind: Literal["handout"]
    id: Id
    replaces: bool = Field(
        False, description="true to replace the built-in item with the same id on purpose"
    )
    title: Text
    source: SourceRef
    intro: Text | None = None
    numbered: bool = False
    items: list[HandoutItem] = []
    groups: list[HandoutGroup] = []
    table: Table | None = None
    outro: Text | None = None

    @model_validator(mode="after")
    def _has_body(self) -> Handout:
        bodies = [bool(self.items), bool(self.groups), self.table is not None]
        if sum(bodies) != 1:
            raise ValueError("a handout has exactly one of `items`, `groups` or `table`")
        return self


Item = Tool | Deck | Handout
KINDS: dict[str, type[Model]] = {
    "tool": Tool,
    "deck": Deck,
    "handout": Handout,
    "sources": SourcesFile,
}
