"""Dialogue cards as a print-ready PDF: select, plan every card (fit, glyphs, contrast), draw.

Nothing is drawn until every card of every deck has been planned, so a card whose text
does not fit is reported (with all other problems) before a page exists.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from typing import Literal

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from . import fonts
from .colours import MIN_CONTRAST, contrast, text_on
from .decks import (
    INSTRUCTION,
    WARMUP,
    Fill,
    PlacedCard,
    Selection,
    added_category,
    category_label,
    deck_version,
    instruction_parts,
    show_decks,
    where,
)
from .errors import ContentError, InputError, Location, Problem
from .leanpdf import PackingCanvas
from .library import Library
from .model import MAX_CARDS, Category, Deck
from .pdftext import TextBlock
from .presets import MM, CardSize, card_size, labels, paper, print_spec
from .sheet import Rect, Sheet, back_extents, marks_for, mirror_for_fold, plan_sheet
from .textfit import Fitted, Run, ascent_descent, fit, wrap

Backs = Literal["duplex", "fold", "none"]
Layout = Literal["sheet", "shop"]


@dataclass(frozen=True)
class CardOptions:
    """How to print: paper, card size, bleed, backs and duplex side, selection."""

    paper: str = "a4"
    size: str = "poker"
    bleed: float | None = None
    """Bleed in mm; default: 3 mm for the shop layout (a print shop's usual), none on sheets."""
    duplex: Literal["long", "short"] = "long"
    backs: Backs = "duplex"
    back_offset: tuple[float, float] = (0.0, 0.0)
    layout: Layout = "sheet"
    selection: Selection = field(default_factory=Selection)
    """Which cards, in what order, and the instruction and warm-up cards ahead of them."""
    qr: bool = False
    """A QR code on each back with the address of the deck's source publication."""
    pdfx: bool | None = None
    """PDF/X-1a (CMYK) for the print shop; default: for the shop layout, not for sheets."""


@dataclass(frozen=True, slots=True)
class FrontPlan:
    placed: PlacedCard
    category: Category
    band_text: str
    body: Fitted
    footer: str
    number: str


@dataclass(frozen=True, slots=True)
class Face:
    """What is printed on a front, less its laid-out text (freed once drawn)."""

    placed: PlacedCard
    category: Category
    footer: str
    number: str


@dataclass(frozen=True, slots=True)
class BackPlan:
    deck: Deck
    category: Category
    text_colour: str
    title: Fitted
    stamp: str = ""
    """`dialogkort · 3f9a2c1`: the deck and the version of its content, small at the foot."""
    qr: str | None = None
    """The address the back's QR code holds, or None for no QR code."""


@dataclass
class CardsResult:
    """What `render_cards` made."""

    pdf: bytes
    cards: list[PlacedCard]
    pages: int
    per_sheet: int
    seed: int | None = None
    sheets: list[Sheet] = field(default_factory=list)
    faces: list[Face] = field(default_factory=list)
    """Every front in print order (an instruction that takes three cards is three)."""


# --- selection ------------------------------------------------------------------------


def select_cards(
    library: Library, deck_ids: Sequence[str], options: CardOptions, fill: Fill | None = None
) -> list[list[PlacedCard]]:
    """The cards to print, deck by deck, as every output shows them (`decks.show_decks`)."""
    groups = [shown.cards for shown in show_decks(library, deck_ids, options.selection, fill)]
    total = sum(len(g) for g in groups)
    if total > MAX_CARDS:
        raise InputError(f"{total:,} cards; one card PDF holds at most {MAX_CARDS:,}")
    return groups


# --- planning --------------------------------------------------------------------------


class _Planner:
    """Fits every card's text and checks glyphs and contrast; collects every problem."""

    def __init__(
        self, library: Library, size: CardSize, qr: bool = False, stamp_fronts: bool = False
    ) -> None:
        self.library = library
        self.size = size
        self.qr = qr
        self.stamp_fronts = stamp_fronts
        """No backs to carry the deck's version: the fronts carry it beside the number."""
        spec = print_spec()
        self.geo = spec.card
        self.floor = spec.min_pt
        self.leading = float(self.geo["leading"])
        self.problems: list[Problem] = []
        self.box = _body_box(size)
        self.footers: dict[str, str] = {}
        """Each footer once: every card of a deck has the same (40,000 copies are 4 MB)."""

    def where(self, deck: Deck, path: tuple[str | int, ...]) -> Location:
        return where(self.library, deck, path)

    def fronts(self, placed: PlacedCard) -> list[FrontPlan]:
        """The front(s) of one placed card: instructions may take more than one."""
        if placed.card.category == INSTRUCTION:
            return self.instructions(placed)
        if placed.card.category == WARMUP:
            return self.warmup(placed)
        plan = self.front(placed)
        return [plan] if plan else []

    def footer(self, deck: Deck, number: str) -> str:
        """`Dialogkort · Digitalt kompetente kommuner`: the deck and its short credit, as
        much as fits beside the number."""
        credit = self.library.publications[deck.source.publication].short_credit
        geo = self.geo
        pt = float(geo["footer_pt"])
        room = self.size.width * MM - 2 * float(geo["safe_inset"]) * MM
        room -= fonts.width(number, fonts.REGULAR, pt) + 2 * MM
        for text in (f"{deck.short_title} · {credit}", credit):
            if fonts.width(text, fonts.REGULAR, pt) <= room:
                return self.footers.setdefault(text, text)
        while credit and fonts.width(credit + "…", fonts.REGULAR, pt) > room:
            credit = credit[:-1]
        text = credit.rstrip() + "…"
        return self.footers.setdefault(text, text)

    def instructions(self, placed: PlacedCard) -> list[FrontPlan]:
        """The deck's intro and guidance, packed onto as many cards as they need; a
        heading always stays with what follows it."""
        deck = placed.deck
        text_pt, head_pt = self.size.example_pt, self.size.question_pt
        Key = tuple[str | int, ...]
        parts: list[tuple[list[Run], float, Key, bool]] = []
        for part in instruction_parts(self.library, deck):
            heading = part.role in ("title", "steps_title")
            size = head_pt if part.role == "title" else text_pt
            if part.role == "step":
                runs = [Run(f"{part.number}.", fonts.BOLD), Run(part.text, fonts.REGULAR)]
            elif part.role == "item":
                runs = [Run("•", fonts.BOLD), Run(part.text, fonts.REGULAR)]
            elif part.role == "credit":
                runs = [Run(f"{labels()['source']}:", fonts.ITALIC), Run(part.text, fonts.ITALIC)]
            else:
                font = fonts.BOLD if heading else fonts.ITALIC if part.role == "note" else None
                runs = [Run(part.text, font or fonts.REGULAR)]
            parts.append((runs, size, part.key, heading))
        texts = [(run.text, run.font, key) for runs, _, key, _ in parts for run in runs]
        if not self._printable(deck, texts):
            return []
        # A heading and the block after it are one unit: never split across cards.
        units: list[tuple[list[tuple[list[Run], float]], Key]] = []
        pending: list[tuple[list[Run], float]] = []
        for runs, size, key, heading in parts:
            pending.append((runs, size))
            if not heading:
                units.append((pending, key))
                pending = []
        if pending:
            units.append((pending, ("guidance",)))
        pages: list[Fitted] = []
        current: list[tuple[list[Run], float]] = []
        laid: Fitted | None = None  # `current`, fitted
        for blocks, key in units:
            grown = self._fit_fixed([*current, *blocks])
            if grown is None and current:
                assert laid is not None
                pages.append(laid)
                current, grown = [], self._fit_fixed(blocks)
            if grown is None:
                self._too_long(deck, key, "the deck's guidance")
                return []
            current.extend(blocks)
            laid = grown
        assert laid is not None  # the title is always a unit
        pages.append(laid)
        category = added_category(INSTRUCTION)
        band = self.band_text(deck, category)
        numbers = [self.number(deck, f"{i}/{len(pages)}") for i in range(1, len(pages) + 1)]
        return [
            FrontPlan(placed, category, band, body, self.footer(deck, number), number)
            for number, body in zip(numbers, pages, strict=True)
        ]

    def warmup(self, placed: PlacedCard) -> list[FrontPlan]:
        """One warm-up topic, led in by the deck's words for the warm-up."""
        deck, topic = placed.deck, placed.card.question
        key: tuple[str | int, ...] = ("warmup", placed.number - 1)
        blocks: list[tuple[list[Run], float]] = []
        if deck.warmup_lead:
            blocks.append(([Run(deck.warmup_lead, fonts.ITALIC)], self.size.example_pt))
        shown = topic[:1].upper() + topic[1:]  # a card starts with a capital
        blocks.append(([Run(shown, fonts.BOLD)], self.size.question_pt))
        texts = [(deck.warmup_lead or "", fonts.ITALIC, key), (shown, fonts.BOLD, key)]
        if not self._printable(deck, texts):
            return []
        body = fit(blocks, self.box.w, self.box.h, floor=self.floor, leading=self.leading,
                   gap=float(self.geo["gap"]) * MM)  # fmt: skip
        if body is None:
            self._too_long(deck, key, "a warm-up topic")
            return []
        category = added_category(WARMUP)
        number = self.number(deck, f"{placed.number}/{len(deck.warmup)}")
        return [
            FrontPlan(placed, category, self.band_text(deck, category), body,
                      self.footer(deck, number), number)
        ]  # fmt: skip

    def _fit_fixed(self, blocks: list[tuple[list[Run], float]]) -> Fitted | None:
        """`blocks` at their own sizes (the heading may shrink to the text's size)."""
        smallest = min(size for _, size in blocks)
        return fit(blocks, self.box.w, self.box.h, floor=max(self.floor, smallest),
                   leading=self.leading, gap=float(self.geo["gap"]) * MM)  # fmt: skip

    def _printable(self, deck: Deck, texts: list[tuple[str, str, tuple[str | int, ...]]]) -> bool:
        ok = True
        for text, font, key in texts:
            why = fonts.unprintable(text, font)
            if why:
                ok = False
                self.problems.append(Problem(self.where(deck, key), f"deck `{deck.id}`: {why}"))
        return ok

    def _too_long(self, deck: Deck, key: tuple[str | int, ...], what: str) -> None:
        self.problems.append(
            Problem(
                self.where(deck, key),
                f"deck `{deck.id}`: a part of {what} does not fit a "
                f"{self.size.width:g}×{self.size.height:g} mm card even at {self.floor:g} pt: "
                "shorten it or choose a larger --size",
            )
        )

    def front(self, placed: PlacedCard) -> FrontPlan | None:
        deck, card = placed.deck, placed.card
        category = deck.category(card.category)
        runs = [Run(card.question, fonts.BOLD)]
        blocks: list[tuple[list[Run], float]] = [(runs, self.size.question_pt)]
        if card.example:
            blocks.append(
                (
                    [Run(f"{card.example_label}:", fonts.ITALIC), Run(card.example, fonts.REGULAR)],
                    self.size.example_pt,
                )
            )
        texts = [
            (card.question, fonts.BOLD, "question"),
            (card.example or "", fonts.REGULAR, "example"),
            (f"{card.example_label}:", fonts.ITALIC, "example_label"),
        ]
        ok = True
        for text, font, key in texts:
            why = fonts.unprintable(text, font)
            if why:
                ok = False
                self.problems.append(
                    Problem(self.where(deck, ("cards", placed.index, key)),
                            f"card `{card.id}`: {why}")
                )  # fmt: skip
        if not ok:
            return None
        body = fit(
            blocks,
            self.box.w,
            self.box.h,
            floor=self.floor,
            leading=self.leading,
            gap=float(self.geo["gap"]) * MM,
        )
        if body is None:
            self.problems.append(
                Problem(
                    self.where(deck, ("cards", placed.index)),
                    f"card `{card.id}` does not fit a {self.size.width:g}×{self.size.height:g} mm "
                    f"card even at {self.floor:g} pt: shorten its text or choose a larger --size",
                )
            )
            return None
        number = self.number(deck, str(placed.number))
        return FrontPlan(
            placed,
            category,
            self.band_text(deck, category),
            body,
            self.footer(deck, number),
            number,
        )

    def number(self, deck: Deck, number: str) -> str:
        """The card's number, after the deck's version where no back carries it."""
        return f"{deck_version(deck)} · {number}" if self.stamp_fronts else number

    def band_text(self, deck: Deck, category: Category) -> str:
        colour = text_on(category.colour)
        ratio = contrast(colour, category.colour)
        if ratio < MIN_CONTRAST:
            index = deck.categories.index(category)
            self.problems.append(
                Problem(
                    self.where(deck, ("categories", index, "colour")),
                    f"category `{category.id}`: text on {category.colour} has contrast "
                    f"{ratio:.2f}:1, below {MIN_CONTRAST}:1; choose a darker or lighter colour",
                )
            )
        return colour

    def back(self, deck: Deck, category: Category) -> BackPlan | None:
        label = category.heading or category_label(category)  # `Fem spørgsmål om …`, if any
        inner = self.size.width * MM - 2 * float(self.geo["safe_inset"]) * MM
        start = max(self.size.question_pt * 1.25, self.floor)
        title = fit(
            [
                ([Run(deck.title, fonts.BOLD)], start),
                ([Run(label, fonts.REGULAR)], max(self.floor, start * 0.7)),
            ],
            inner,
            self.size.height * MM * 0.6,
            floor=self.floor,
            leading=self.leading,
            gap=2 * MM,
        )
        if title is None:
            self.problems.append(
                Problem(
                    self.where(deck, ("title",)),
                    f"deck `{deck.id}`: its title does not fit the back "
                    "of the card even at the smallest size",
                )
            )
            return None
        for text, key in (
            (deck.title, ("title",)),
            (category.heading or category.name, ("categories",)),
        ):
            why = fonts.unprintable(text, fonts.BOLD)
            if why:
                self.problems.append(Problem(self.where(deck, key), why))
        url = None
        if self.qr:
            url = self.library.publications[deck.source.publication].url
            if url is None:
                self.problems.append(
                    Problem(
                        self.where(deck, ("source", "publication")),
                        f"deck `{deck.id}`: --qr needs an address of its publication "
                        f"`{deck.source.publication}`; the content gives none (add `url:` to "
                        "the publication in your own content)",
                    )
                )
        stamp = f"{deck.id} · {deck_version(deck)}"
        return BackPlan(deck, category, self.band_text(deck, category), title, stamp, url)


def _body_box(size: CardSize) -> Rect:
    """The box for question and example, relative to the card's bottom-left corner."""
    geo = print_spec().card
    safe = float(geo["safe_inset"]) * MM
    band = float(geo["band"]) * MM
    ascent, descent = ascent_descent(fonts.REGULAR, float(geo["footer_pt"]))
    footer_top = safe + (ascent - descent)
    top = size.height * MM - band - float(geo["gap"]) * MM
    bottom = footer_top + 2 * MM
    return Rect(safe, bottom, size.width * MM - 2 * safe, top - bottom)


class _Plans:
    """Every front and back planned as it is drawn, a sheet at a time: a plan is let go
    once drawn, so a deck of forty thousand cards never holds forty thousand laid-out
    texts. Once a problem is found nothing more is drawn (the document will not be
    written), but every card is still planned, so that every problem is reported at once:
    the fronts' first, then the backs', as when all was planned before drawing."""

    def __init__(self, planner: _Planner, groups: list[list[PlacedCard]]) -> None:
        self.planner = planner
        self.groups = groups
        self.backs: dict[tuple[str, str], BackPlan | None] = {}
        self.back_problems: list[Problem] = []
        self.drawn: list[Face] = []

    @property
    def failed(self) -> bool:
        return bool(self.planner.problems or self.back_problems)

    def sheets(self, per: int) -> Iterator[list[FrontPlan]]:
        """The fronts, `per` at a time, group by group (a group never shares a sheet)."""
        for group in self.groups:
            plans = (plan for placed in group for plan in self.planner.fronts(placed))
            while chunk := list(islice(plans, per)):
                for plan in chunk:
                    self.drawn.append(Face(plan.placed, plan.category, plan.footer, plan.number))
                yield chunk

    def back(self, plan: FrontPlan) -> BackPlan | None:
        """The back of `plan`'s card (one plan per deck and category)."""
        key = (plan.placed.deck.id, plan.placed.card.category)
        if key not in self.backs:
            problems = self.planner.problems
            before = len(problems)
            self.backs[key] = self.planner.back(plan.placed.deck, plan.category)
            self.back_problems.extend(problems[before:])
            del problems[before:]
        return self.backs[key]

    def check(self) -> None:
        """Raise `ContentError` with every problem found."""
        if self.failed:
            raise ContentError(list(dict.fromkeys(self.planner.problems + self.back_problems)))


# --- drawing ---------------------------------------------------------------------------


def _draw_fitted(
    t: TextBlock,
    fitted: Fitted,
    x: float,
    top: float,
    colour: str,
    centre_width: float | None = None,
) -> None:
    t.colour(colour)
    y = top
    for paragraph in fitted.paragraphs:
        ascent, _ = ascent_descent(paragraph.lines[0][0].font, paragraph.size)
        baseline = y - ascent
        for line in paragraph.lines:
            shift = 0.0
            if centre_width is not None:
                last = line[-1]
                end = last.x + fonts.width(last.text, last.font, paragraph.size)
                shift = (centre_width - end) / 2
            for segment in line:
                t.put(x + shift + segment.x, baseline, segment.font, paragraph.size, segment.text)
            baseline -= paragraph.size * paragraph.leading
        y -= paragraph.height + fitted.gap


@lru_cache(maxsize=256)
def _colour(hex_colour: str) -> HexColor:
    return HexColor(hex_colour)


def draw_front(c: Canvas, cell: Rect, plan: FrontPlan, bleed: float) -> None:
    """One card face: colour band with the category, question, example, footer."""
    geo = print_spec().card
    safe, band = float(geo["safe_inset"]) * MM, float(geo["band"]) * MM
    c.setFillColor(_colour(plan.category.colour))
    c.rect(cell.x - bleed, cell.top - band, cell.w + 2 * bleed, band + bleed, stroke=0, fill=1)
    t = TextBlock(c)
    band_pt = float(geo["band_pt"])
    ascent, _ = ascent_descent(fonts.BOLD, band_pt)
    t.colour(plan.band_text)
    t.put(
        cell.x + safe, cell.top - safe - ascent, fonts.BOLD, band_pt, category_label(plan.category)
    )
    box = _body_box_cached(cell.w, cell.h)
    _draw_fitted(t, plan.body, cell.x + box.x, cell.y + box.top, str(geo["text"]))
    footer_pt = float(geo["footer_pt"])
    _, descent = ascent_descent(fonts.REGULAR, footer_pt)
    baseline = cell.y + safe - descent
    t.colour(str(geo["footer_text"]))
    t.put(cell.x + safe, baseline, fonts.REGULAR, footer_pt, plan.footer)
    right = cell.right - safe - fonts.width(plan.number, fonts.REGULAR, footer_pt)
    t.put(right, baseline, fonts.REGULAR, footer_pt, plan.number)
    t.draw()


_BOX_CACHE: dict[tuple[float, float], Rect] = {}


def _body_box_cached(w: float, h: float) -> Rect:
    key = (round(w, 3), round(h, 3))
    if key not in _BOX_CACHE:
        spec = print_spec()
        _BOX_CACHE[key] = _body_box(CardSize("", w / MM, h / MM, spec.min_pt, spec.min_pt))
    return _BOX_CACHE[key]


def draw_back(c: Canvas, cell: Rect, plan: BackPlan, bleed: float) -> None:
    """One card back: the category colour to the bleed, the deck title and category name.

    Backs repeat: each deck, category and card size is drawn once, as a PDF form, and
    placed wherever it is needed (less to draw for big decks, and one object for a
    printer to rasterise).
    """
    name = (
        f"back-{plan.deck.id}-{plan.category.id}-{cell.w:.3f}x{cell.h:.3f}-{bleed:.3f}"
        f"{'-qr' if plan.qr else ''}"
    )
    if not c.hasForm(name):
        edge = bleed + 1  # a point beyond the colour: the form's clip must not shave its edge
        c.beginForm(name, -edge, -edge, cell.w + edge, cell.h + edge)
        _draw_back_face(c, Rect(0, 0, cell.w, cell.h), plan, bleed)
        c.endForm()
    c.saveState()
    c.translate(cell.x, cell.y)
    c.doForm(name)
    c.restoreState()


def _draw_back_face(c: Canvas, cell: Rect, plan: BackPlan, bleed: float) -> None:
    geo = print_spec().card
    safe = float(geo["safe_inset"]) * MM
    c.setFillColor(_colour(plan.category.colour))
    c.rect(cell.x - bleed, cell.y - bleed, cell.w + 2 * bleed, cell.h + 2 * bleed, stroke=0, fill=1)
    top = cell.y + (cell.h + plan.title.height) / 2
    t = TextBlock(c)
    _draw_fitted(
        t, plan.title, cell.x + safe, top, plan.text_colour, centre_width=cell.w - 2 * safe
    )
    if plan.stamp:  # the text colour is still the title's
        pt = float(geo["stamp_pt"])
        wide = fonts.width(plan.stamp, fonts.REGULAR, pt)
        x = cell.x + (safe if plan.qr else (cell.w - wide) / 2)
        t.put(x, cell.y + safe + 0.3 * pt, fonts.REGULAR, pt, plan.stamp)  # descenders inside
    t.draw()
    if plan.qr:
        side = min(float(geo["qr"]) * MM, cell.w * 0.3)
        _draw_qr(c, plan.qr, cell.right - safe - side, cell.y + safe, side)


def _draw_qr(c: Canvas, data: str, x: float, y: float, side: float) -> None:
    """A QR code of `data`, `side` wide with its quiet zone, dark modules on white."""
    import segno

    code = segno.make(data, error="m", micro=False)
    matrix = code.matrix
    quiet = 2  # modules of white around (a printed card's edge and colour give the rest)
    modules = len(matrix) + 2 * quiet
    unit = side / modules
    c.saveState()
    c.setFillColor(HexColor("#FFFFFF"))
    c.rect(x, y, side, side, stroke=0, fill=1)
    c.setFillColor(HexColor("#000000"))
    path = c.beginPath()
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                path.rect(x + (col + quiet) * unit, y + side - (row + quiet + 1) * unit, unit, unit)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def draw_marks(c: Canvas, sheet: Sheet) -> None:
    c.setStrokeColor(HexColor("#000000"))
    c.setLineWidth(print_spec().sheet["mark_width_pt"])
    c.lines(sheet.marks)


def draw_scale_bar(c: Canvas, sheet: Sheet) -> None:
    """A 50 mm bar with centimetre ticks: shorter on paper means the print was scaled."""
    geo = print_spec().sheet
    x, y = sheet.scale_bar
    length = geo["scale_length"] * MM
    c.setStrokeColor(HexColor("#000000"))
    c.setLineWidth(0.5)
    c.line(x, y, x + length, y)
    for i in range(int(geo["scale_length"] // 10) + 1):
        tick = 1.5 * MM if i % 5 == 0 else 0.8 * MM
        c.line(x + i * 10 * MM, y, x + i * 10 * MM, y + tick)
    c.setFillColor(HexColor("#1A1A1A"))
    start = x + length + 2 * MM
    limit = (sheet.fold_x - 2 * MM) if sheet.fold_x else sheet.width - geo["margin"] * MM
    label = wrap([Run(labels()["scale_bar"], fonts.REGULAR)], 7, limit - start, 1.15)
    lines = label.lines if label else ()
    for i, line in enumerate(reversed(lines)):
        for segment in line:
            c.setFont(segment.font, 7)
            c.drawString(start + segment.x, y + i * 7 * 1.15, segment.text)


# --- the document ----------------------------------------------------------------------


SHOP_BLEED = 3.0
"""The shop layout's bleed unless one is given: what print shops ask for."""
MAX_BACK_OFFSET = 20.0
"""mm: a printer that misses by more needs repair, not an offset."""


def render_cards(
    library: Library, deck_ids: Sequence[str], options: CardOptions, fill: Fill | None = None
) -> CardsResult:
    """Build the card PDF in memory (nothing is written); `fill` fills the kit's variables
    into content text that uses them, as on every other view of the deck."""
    size = card_size(options.size)
    sheet_paper = paper(options.paper)
    bleed_mm = options.bleed
    if bleed_mm is None:
        bleed_mm = SHOP_BLEED if options.layout == "shop" else 0.0
    if not 0 <= bleed_mm <= 10:
        raise InputError(f"--bleed: {bleed_mm:g} mm is outside 0..10 mm")
    if not all(-MAX_BACK_OFFSET <= v <= MAX_BACK_OFFSET for v in options.back_offset):
        x, y = options.back_offset
        raise InputError(
            f"--back-offset: {x:g},{y:g} mm; each must be a number from "
            f"-{MAX_BACK_OFFSET:g} to {MAX_BACK_OFFSET:g} mm"
        )
    seed = options.selection.seed
    if options.selection.shuffle and seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
        options = replace(options, selection=replace(options.selection, seed=seed))
    groups = select_cards(library, deck_ids, options, fill)
    backs = options.backs != "none"
    fonts.register()
    plans = _Plans(_Planner(library, size, options.qr, stamp_fronts=not backs), groups)
    bleed = bleed_mm * MM
    c = PackingCanvas(io.BytesIO(), invariant=True, pageCompression=1)
    titles = ", ".join(dict.fromkeys(g[0].deck.title for g in groups if g))
    c.setTitle(f"{titles} – kort")
    c.setAuthor("fremfaerd-kit")
    c.setCreator("fremfaerd-kit")
    c.setSubject("Kort til print og udklip")
    if options.layout == "shop":
        pages = _shop_pages(c, plans, size, bleed, backs)
        per_sheet, sheets = 1, []
    else:
        sheet = plan_sheet(sheet_paper, size, bleed_mm, fold=options.backs == "fold")
        pages = _sheet_pages(c, sheet, plans, options, bleed)
        per_sheet, sheets = len(sheet.cells), [sheet]
    plans.check()
    pdf = c.getpdfdata()  # the file's bytes once, not also a copy in a buffer
    del c
    if options.pdfx or (options.pdfx is None and options.layout == "shop"):
        from .typesetters.pdfx import to_pdfx

        pdf = to_pdfx(pdf, f"{titles} – kort")
    faces = plans.drawn
    return CardsResult(pdf, [f.placed for f in faces], pages, per_sheet, seed, sheets, faces)


def _sheet_pages(c: Canvas, sheet: Sheet, plans: _Plans, options: CardOptions, bleed: float) -> int:
    c.setPageSize((sheet.width, sheet.height))
    offset = (options.back_offset[0] * MM, options.back_offset[1] * MM)
    pages = 0
    for chunk in plans.sheets(len(sheet.cells)):
        draw_marks_for = list(sheet.cells[: len(chunk)])
        backs = [plans.back(p) for p in chunk] if options.backs != "none" else []
        if plans.failed:
            continue
        for cell, plan in zip(sheet.cells, chunk, strict=False):
            draw_front(c, cell, plan, bleed)
        if options.backs == "fold":
            _draw_backs(c, [mirror_for_fold(sheet, cell) for cell in draw_marks_for],
                        backs, bleed)  # fmt: skip
        _draw_sheet_furniture(c, sheet, draw_marks_for, fold=options.backs == "fold")
        c.showPage()
        pages += 1
        if options.backs == "duplex":
            spots = [sheet.back_of(cell, options.duplex, offset) for cell in draw_marks_for]
            _draw_backs(c, spots, backs, bleed)
            c.showPage()
            pages += 1
    return pages


def _draw_backs(
    c: Canvas, spots: list[Rect], plans: Sequence[BackPlan | None], bleed: float
) -> None:
    """The backs of one sheet, their colour run into the gutter (`sheet.back_extents`)."""
    reach = max(bleed, float(print_spec().sheet["back_bleed"]) * MM)
    for spot, plan, (left, bottom, right, top) in zip(
        spots, plans, back_extents(spots, reach), strict=True
    ):
        assert plan is not None  # nothing is drawn once a back could not be planned
        c.setFillColor(_colour(plan.category.colour))
        c.rect(spot.x - left, spot.y - bottom, spot.w + left + right, spot.h + bottom + top,
               stroke=0, fill=1)  # fmt: skip
        draw_back(c, spot, plan, bleed)


def _draw_sheet_furniture(c: Canvas, sheet: Sheet, cells: list[Rect], *, fold: bool) -> None:
    used = Sheet(
        sheet.width,
        sheet.height,
        sheet.bleed,
        tuple(cells),
        marks_for(cells, sheet.bleed),
        sheet.scale_bar,
        sheet.fold_x,
    )
    draw_marks(c, used)
    if fold and sheet.fold_x is not None:
        mirrored = Sheet(
            sheet.width,
            sheet.height,
            sheet.bleed,
            (),
            tuple(
                (2 * sheet.fold_x - x1, y1, 2 * sheet.fold_x - x2, y2)
                for x1, y1, x2, y2 in used.marks
            ),
            sheet.scale_bar,
        )
        draw_marks(c, mirrored)
        c.setDash(3, 3)
        c.setLineWidth(0.4)
        c.line(sheet.fold_x, 4 * MM, sheet.fold_x, sheet.height - 4 * MM)
        c.setDash()
        c.saveState()
        c.translate(sheet.fold_x - 1 * MM, sheet.height / 2)
        c.rotate(90)
        c.setFillColor(HexColor(str(print_spec().card["footer_text"])))
        c.setFont(fonts.REGULAR, 7)
        c.drawCentredString(0, 0, labels()["fold_line"])
        c.restoreState()
    draw_scale_bar(c, sheet)


def _shop_pages(c: Canvas, plans: _Plans, size: CardSize, bleed: float, backs: bool) -> int:
    """One card face per page at card size plus bleed, with TrimBox and BleedBox."""
    w, h = size.width * MM, size.height * MM
    page = (w + 2 * bleed, h + 2 * bleed)
    c.setPageSize(page)
    c.setTrimBox([bleed, bleed, bleed + w, bleed + h])
    c.setBleedBox([0, 0, page[0], page[1]])
    cell = Rect(bleed, bleed, w, h)
    pages = 0
    for (plan,) in plans.sheets(1):
        back = plans.back(plan) if backs else None
        if plans.failed:
            continue
        draw_front(c, cell, plan, bleed)
        c.showPage()
        pages += 1
        if back is not None:
            draw_back(c, cell, back, bleed)
            c.showPage()
            pages += 1
    return pages
