"""The content model: what a tool, a deck, a card and a handout are. Validation of shape lives here.

Each class is the schema of one YAML mapping: its fields are the keys a consultant may
write, with a description each. Unknown keys are errors; types are strict (no "10" for 10).

The classes are plain frozen dataclasses: the commands that print use them without
importing pydantic, which validates them only when a file is read (`library.py`; a
dataclass field's metadata is passed to pydantic's `Field`, its `__post_init__` checks
become located errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Annotated, Any, ClassVar, Literal, TypeVar, dataclass_transform

from .markdown import MAX_COLUMNS, MAX_ITEMS, MAX_ROWS


class Rule:
    """A strict scalar with constraints (`Rule("str", max_length=64)`), in pydantic's terms
    when pydantic asks; a marker like any other until then."""

    def __init__(self, kind: str, **constraints: Any) -> None:
        self.kind, self.constraints = kind, constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return getattr(core_schema, f"{self.kind}_schema")(**{"strict": True, **self.constraints})


class After:
    """A check run after a field's type is read (`Annotated[str, After(check)]`): its
    ValueError is that field's located error."""

    def __init__(self, check: Any) -> None:
        self.check = check

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))


ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[str, Rule("str", pattern=ID_PATTERN, max_length=64)]
"""Stable ascii id: lower-case letters, digits and single hyphens (`vaerktoej2`)."""
Text = Annotated[str, Rule("str", min_length=1, max_length=20_000)]
"""Printed text: a paragraph is a few hundred characters; 20,000 is a page of small type."""
CardText = Annotated[str, Rule("str", min_length=1, max_length=4_000)]
"""Text on a card: more than any card size holds."""
Plain = Annotated[str, Rule("str")]
"""Any text, the empty one included."""
Flag = Annotated[bool, Rule("bool")]
"""`true` or `false`, nothing that reads like one."""
MAX_CARDS = 40_000
"""Cards in one deck, and in one card PDF."""
MAX_BLOCKS = 40
"""Blocks of one agenda. The facilitator screen carries the fit of the rest of the agenda
for every block and every length, which grows with the square of the blocks: 40 blocks
of a 24-hour session is two seconds' work and under a megabyte."""
Minutes = Annotated[int, Rule("int", gt=0, le=24 * 60)]
COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
Colour = Annotated[str, Rule("str", pattern=COLOUR_PATTERN)]
URL_PATTERN = r"^https?://[^\s<>\"]{1,500}$"
Url = Annotated[str, Rule("str", pattern=URL_PATTERN)]
"""A web address (the QR code of `kit cards --qr`)."""


def doc(description: str, **constraints: Any) -> dict[str, Any]:
    """A field's description (and list constraints), as its metadata."""
    return {"description": description, **constraints}


_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def frozen(cls: type[_T]) -> type[_T]:
    """A content class: immutable, built from keywords. Equality, hash and repr come from
    `Model`, once for all classes: generating them for each class is a third of the time
    it takes to start printing a deck."""
    return dataclass(frozen=True, kw_only=True, eq=False, repr=False, slots=True)(cls)


class Model:
    """The base of the content classes: unknown keys are errors; instances are equal when
    their fields are (and hashable when their fields are, as frozen dataclasses)."""

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}
    __dataclass_fields__: ClassVar[dict[str, Any]]

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self is other or self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def plain(self) -> dict[str, Any]:
        """The fields as plain data (dicts, lists, text), in their order, nested."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
        return f"{type(self).__qualname__}({shown})"


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.plain()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@frozen
class SourceRef(Model):
    """Where an item comes from, so printed material can credit it."""

    publication: Id = field(metadata=doc("id of a publication in `content/sources.yaml`"))
    section: Text = field(metadata=doc("the section or chapter of the publication"))
    credit: Text | None = field(
        default=None, metadata=doc("attribution line printed with the item")
    )


@frozen
class Publication(Model):
    """A source publication."""

    id: Id
    title: Text
    publisher: Plain = field(metadata=doc("who published it (may be empty when unknown)"))
    date: Plain | None = field(
        default=None, metadata=doc("publication date, YYYY-MM-DD, when known")
    )
    short: Plain | None = field(
        default=None, metadata=doc("the short credit printed on every card")
    )
    url: Url | None = field(
        default=None,
        metadata=doc("where the publication can be read (the QR code of `kit cards --qr`)"),
    )

    @property
    def credit(self) -> str:
        """The full credit, in the one form every output prints (documents, cards, slides,
        the screen, the terminal): `Publisher, Title (year)`, as in `Fremfærd, Fire enkle
        steder at starte: … (2015)`; without a publisher or a date, without them."""
        credit = f"{self.publisher}, {self.title}" if self.publisher else self.title
        return f"{credit} ({self.date[:4]})" if self.date else credit

    @property
    def short_credit(self) -> str:
        """The short credit for a card's footer."""
        return self.short or self.publisher or self.title


@frozen
class SourcesFile(Model):
    """`content/sources.yaml`: the publications the content credits."""

    kind: Literal["sources"]
    sources: list[Publication] = field(metadata={"min_length": 1})


# --- decks -----------------------------------------------------------------------------


@frozen
class Category(Model):
    """A group of cards in a deck, printed with its own colour."""

    id: Id
    name: Text = field(metadata=doc("printed on each card of the category"))
    colour: Colour = field(metadata=doc("card colour, `#RRGGBB`"))
    heading: Text | None = field(
        default=None, metadata=doc("heading used on worksheets and handouts")
    )
    question: Text | None = field(default=None, metadata=doc("the question the category answers"))
    source: SourceRef | None = None
    named_by_kit: Flag = field(
        default=False,
        metadata=doc("the name is the kit's grouping, not the source's: marked with *"),
    )


@frozen
class Card(Model):
    """One dialogue card: a question, optionally with its example."""

    id: Id
    category: Id = field(metadata=doc("id of one of the deck's categories"))
    question: CardText
    example: CardText | None = field(
        default=None, metadata=doc("the example text, without its label")
    )
    example_label: Text = field(
        default="For eksempel", metadata=doc("label printed before the example")
    )
    source: SourceRef | None = field(default=None, metadata=doc("overrides the deck's source"))


@frozen
class Guidance(Model):
    """How to use a deck, as printed in its source."""

    title: Text
    paragraphs: list[Text] = field(default_factory=list)
    steps_title: Text | None = None
    steps: list[Text] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)


@frozen
class DeckSlide(Model):
    """One slide of a deck that is a slide deck in its source: a card, or the slide's words."""

    card: Id | None = field(default=None, metadata=doc("id of the deck's card the slide asks"))
    text: CardText | None = field(
        default=None, metadata=doc("the slide's own words, a line a line")
    )
    category: Id | None = field(
        default=None, metadata=doc("whose colour the slide takes (text slides)")
    )

    def __post_init__(self) -> None:  # checked as _one_of
        if (self.card is None) == (self.text is None):
            raise ValueError("give either `card` or `text`")


@frozen
class Deck(Model):
    """A deck of question cards in categories."""

    kind: Literal["deck"]
    id: Id
    replaces: Flag = field(
        default=False, metadata=doc("true to replace the built-in item with the same id on purpose")
    )
    title: Text
    short_title: Text = field(metadata=doc("printed in the footer of each card"))
    audience: Text | None = None
    source: SourceRef
    intro: Text | None = None
    intro_items: list[Text] = field(
        default_factory=list, metadata=doc("the list the intro leads in to, as in the source")
    )
    guidance: Guidance | None = None
    warmup: list[Text] = field(
        default_factory=list, metadata=doc("topics to talk about before the first card")
    )
    arranged_by_kit: Text | None = field(
        default=None,
        metadata=doc("how the kit, not the source, arranged the deck: printed as its note"),
    )
    warmup_lead: Text | None = field(
        default=None,
        metadata=doc("the words that lead in to the warm-up topics, printed on their cards"),
    )
    categories: list[Category] = field(metadata={"min_length": 1})
    cards: list[Card] = field(metadata={"min_length": 1, "max_length": MAX_CARDS})
    slides: list[DeckSlide] = field(
        default_factory=list,
        metadata=doc("the source's own slides, for `kit slides`", max_length=MAX_CARDS),
    )

    def category(self, category_id: str) -> Category:
        """The category with `category_id`."""
        return next(c for c in self.categories if c.id == category_id)

    def cards_in(self, category_id: str) -> list[Card]:
        """The cards of one category, in deck order."""
        return [c for c in self.cards if c.category == category_id]


# --- tools -----------------------------------------------------------------------------


@frozen
class Tip(Model):
    """A TIP box."""

    title: Text
    text: Text
    link: Text | None = None


@frozen
class QuestionsRef(Model):
    """Take a group work's questions from a deck category instead of repeating them."""

    deck: Id
    category: Id


@frozen
class GroupWork(Model):
    """A group-work task with the questions to put to the groups."""

    id: Id
    title: Text
    heading: Text | None = None
    minutes: Minutes | None = None
    task: Text | None = None
    questions: list[Text] = field(default_factory=list)
    questions_from: QuestionsRef | None = None
    tips: list[Tip] = field(default_factory=list)


@frozen
class AgendaBlock(Model):
    """One block of the facilitator's agenda."""

    id: Id
    title: Text
    minutes: Minutes = field(metadata=doc("length at the tool's own duration"))
    min_minutes: Minutes | None = field(
        default=None, metadata=doc("never shorter than this when scaled")
    )
    max_minutes: Minutes | None = field(
        default=None, metadata=doc("never longer than this when scaled")
    )
    fixed: Flag = field(
        default=False, metadata=doc("keeps its minutes whatever the session length")
    )
    named_by_kit: Flag = field(
        default=False,
        metadata=doc("the title is the kit's, not the source's: marked with * where it is"),
    )
    facilitator_only: Flag = field(
        default=False,
        metadata=doc("left out of the participants' agenda (folded into the item before)"),
    )
    notes: list[Text] = field(default_factory=list)
    questions: list[Text] = field(default_factory=list)
    group_work: Id | None = field(
        default=None, metadata=doc("id of the tool's group work done here")
    )

    def __post_init__(self) -> None:  # checked as _bounds_hold_minutes
        if self.min_minutes is not None and self.min_minutes > self.minutes:
            raise ValueError(f"min_minutes {self.min_minutes} is more than minutes {self.minutes}")
        if self.max_minutes is not None and self.max_minutes < self.minutes:
            raise ValueError(f"max_minutes {self.max_minutes} is less than minutes {self.minutes}")


@frozen
class Agenda(Model):
    """The facilitator's agenda; the participants' agenda is derived from it."""

    suggested: Flag = field(
        default=False, metadata=doc("true when the minutes are the kit's suggestion")
    )
    break_after_minutes: Minutes | None = field(
        default=None, metadata=doc("sessions longer than this get a break")
    )
    break_minutes: Minutes = 15
    blocks: list[AgendaBlock] = field(
        metadata=doc(
            f"the blocks in order (at most {MAX_BLOCKS}: an afternoon has a dozen)",
            min_length=1,
            max_length=MAX_BLOCKS,
        )
    )

    @property
    def minutes(self) -> int:
        """Total length at the tool's own duration."""
        return sum(b.minutes for b in self.blocks)

    @property
    def kit_titles(self) -> Literal["none", "some", "all"]:
        """How many block titles are the kit's. Only where some are is each of them
        marked with *: where all are, the agenda's note says so once."""
        named = sum(b.named_by_kit for b in self.blocks)
        return "all" if named == len(self.blocks) else "some" if named else "none"

    def marked(self, block: AgendaBlock) -> bool:
        """Whether `block`'s title is printed with the * of a title that is the kit's."""
        return block.named_by_kit and self.kit_titles == "some"


@frozen
class UseWhen(Model):
    title: Text
    items: list[Text] = field(metadata={"min_length": 1})


@frozen
class Duration(Model):
    text: Text
    min_minutes: Minutes
    max_minutes: Minutes


@frozen
class Example(Model):
    title: Text
    text: Text


@frozen
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


@frozen
class Checklist(Model):
    title: Text
    items: list[Text] = field(metadata={"min_length": 1})


@frozen
class Tool(Model):
    """A workshop tool or meeting format: its guidance, agenda and group work."""

    kind: Literal["tool"]
    id: Id
    replaces: Flag = field(
        default=False, metadata=doc("true to replace the built-in item with the same id on purpose")
    )
    label: Text = field(metadata=doc("short name, e.g. `Værktøj 2`"))
    title: Text
    source: SourceRef
    arranged_by_kit: Text | None = field(
        default=None,
        metadata=doc("how the kit, not the source, made the tool: printed as its note"),
    )
    intro: list[Text] = field(default_factory=list)
    intro_items: list[Text] = field(
        default_factory=list, metadata=doc("the list the intro leads in to, as in the source")
    )
    purpose: Text
    use_when: UseWhen | None = None
    participants: Text | None = None
    preparation_time: Text | None = None
    duration: Duration | None = None
    exercise_purpose: Text | None = None
    preparation: list[Text] = field(default_factory=list)
    steps: list[Text] = field(default_factory=list)
    example: Example | None = None
    meeting: Meeting
    agenda: Agenda
    group_work: list[GroupWork] = field(default_factory=list)
    checklist: Checklist | None = None

    def group(self, group_id: str) -> GroupWork:
        """The group work with `group_id`."""
        return next(g for g in self.group_work if g.id == group_id)


# --- handouts --------------------------------------------------------------------------


@frozen
class HandoutItem(Model):
    title: Text | None = None
    detail: Text | None = field(default=None, metadata=doc("a short line under the title"))
    text: Text


# A handout's lists are bounded as its document is (`markdown.py`), so that too long a list
# is a problem at its key in the content file, not in the document it would make.


@frozen
class HandoutGroup(Model):
    """A section of a handout under its heading: a list, or the source's paragraphs."""

    title: Text
    items: list[HandoutItem] = field(default_factory=list, metadata={"max_length": MAX_ITEMS})
    paragraphs: list[Text] = field(default_factory=list, metadata={"max_length": MAX_ITEMS})

    def __post_init__(self) -> None:  # checked as _group_has_body
        if bool(self.items) == bool(self.paragraphs):
            raise ValueError("a handout group has either `items` or `paragraphs`")


@frozen
class Quote(Model):
    """A quote the source prints beside its text, with whom it quotes."""

    text: Text
    by: Text = field(metadata=doc("the person or publication quoted, as the source names it"))


@frozen
class Table(Model):
    columns: list[Text] = field(metadata={"min_length": 1, "max_length": MAX_COLUMNS})
    rows: list[list[Text]] = field(metadata={"min_length": 1, "max_length": MAX_ROWS - 1})

    def __post_init__(self) -> None:  # checked as _rows_fit
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {i} has {len(row)} cells; the table has {len(self.columns)} columns"
                )


@frozen
class Handout(Model):
    """A one-page handout: an advice list, a model or a table."""

    kind: Literal["handout"]
    id: Id
    replaces: Flag = field(
        default=False, metadata=doc("true to replace the built-in item with the same id on purpose")
    )
    title: Text
    source: SourceRef
    arranged_by_kit: Text | None = field(
        default=None,
        metadata=doc("how the kit, not the source, arranged the handout: printed as its note"),
    )
    intro: Text | None = None
    numbered: Flag = False
    items: list[HandoutItem] = field(default_factory=list, metadata={"max_length": MAX_ITEMS})
    groups: list[HandoutGroup] = field(default_factory=list, metadata={"max_length": MAX_ITEMS})
    table: Table | None = None
    paragraphs: list[Text] = field(
        default_factory=list, metadata=doc("the source's own paragraphs (a box, a section)")
    )
    tools: list[Id] = field(
        default_factory=list,
        metadata=doc("ids of tools: the handout is an overview of them, one section each"),
    )
    outro: Text | None = None
    quotes: list[Quote] = field(
        default_factory=list, metadata=doc("quotes the source prints beside the text")
    )

    def __post_init__(self) -> None:  # checked as _has_body
        bodies = [bool(self.items), bool(self.groups), self.table is not None]
        bodies += [bool(self.paragraphs), bool(self.tools)]
        if sum(bodies) != 1:
            raise ValueError(
                "a handout has exactly one of `items`, `groups`, `table`, `paragraphs` or `tools`"
            )


Item = Tool | Deck | Handout
KINDS: dict[str, type] = {
    "tool": Tool,
    "deck": Deck,
    "handout": Handout,
    "sources": SourcesFile,
}
