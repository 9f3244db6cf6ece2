"""Typeset a document written in Markdown as a printable PDF (guides, agendas, worksheets).

Every document's wording lives in a Jinja template that renders Markdown; this module
turns that Markdown into ReportLab flowables. Markdown keeps the templates readable for a
consultant who wants to change a label, and the same text serves as the `.md` output.

Besides CommonMark and tables, the templates use:

- a YAML front matter block (`title`, `header`, `footer`, `page_label`) for the PDF's
  metadata and the running header and footer of every page;
- `- [ ] item` for checklist boxes; `> ...` for a TIP box; `***` for a page break;
- fenced blocks: ```` ```lines N ```` (N ruled writing lines, or `fill` to share the rest
  of the page between the writing spaces on it), ```` ```fields ```` (one `Label: value`
  per line; an empty value becomes a line to write on), ```` ```space MM ```` (blank
  space, e.g. on a title page) and ```` ```band #RRGGBB ```` (a bar in a category's
  colour with its name, on slides).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from markdown_it.tree import SyntaxTreeNode
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import fonts
from ..colours import text_on
from ..errors import InputError
from ..frontmatter import FrontMatter, Look
from ..markdown import MAX_PAGES, Document, band_colour, parse, space_mm, writing_lines
from ..presets import MM, paper

MARGIN = 20 * MM
"""Left and right margin."""
MARGIN_Y = 17 * MM
"""Top and bottom margin; the running header and footer sit inside it."""
BODY_PT = 10.0
LINE_GAP = 9 * MM
"""Distance between ruled writing lines."""
INK = colors.HexColor("#1A1A1A")
_CELL_FONT = [("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR)]
"""A table's own font (ReportLab's default is Helvetica, which a PDF would then name without
embedding it, even though every cell holds a paragraph in the kit's font)."""
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9A9A9A")


# --- styles ------------------------------------------------------------------------------


TIGHTER = ((BODY_PT, 1.35, 1.0), (BODY_PT, 1.22, 0.55), (9.5, 1.18, 0.45), (9.0, 1.15, 0.35))
"""Body size, line height and spacing, ever tighter, for a document that should fit its
pages (an agenda on one page): spacing gives way first, and the text never goes below 9 pt."""


def _styles(look: Look, tight: int = 0, body: float | None = None) -> dict[str, ParagraphStyle]:
    """The paragraph styles at a tightness, or with the body text at `body` pt (slides)."""
    fonts.register_family()
    accent = colors.HexColor(look.accent)
    body_pt, line, space = TIGHTER[tight]
    if body is not None:
        body_pt = body
    scale = body_pt / BODY_PT
    base = ParagraphStyle(
        "body",
        fontName=fonts.REGULAR,
        fontSize=body_pt,
        leading=body_pt * line,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=body_pt * 0.45 * space,
        splitLongWords=True,
        # A long Danish compound at a line's end breaks at a hyphenation point (pyphen's
        # Danish patterns) instead of leaving the line half empty.
        hyphenationLang="da_DK",
        embeddedHyphenation=0,
        uriWasteReduce=0.3,
        allowWidows=0,  # no page starts with a paragraph's lone last line
        allowOrphans=0,  # nor ends with its lone first line
    )

    item = ParagraphStyle(
        "item",
        parent=base,
        spaceAfter=2 * space,
        leftIndent=7 * MM * max(1.0, scale * 0.6),
        bulletIndent=0,
        bulletFontName=fonts.REGULAR,
        bulletFontSize=body_pt,
        bulletColor=accent,
    )

    def heading(name: str, size: float, before: float, after: float, colour: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            parent=base,
            fontName=fonts.BOLD,
            fontSize=size * scale,
            leading=size * scale * 1.22,
            spaceBefore=before * space,
            spaceAfter=after * space,
            textColor=colour,
            keepWithNext=1,
        )

    return {
        "body": base,
        "h1": heading("h1", 18, 0, 6, accent),
        "h2": heading("h2", 13.5, 10, 4, accent),
        "h3": heading("h3", 12, 10, 4, INK),
        "h4": heading("h4", BODY_PT, 5, 1.5, INK),
        # (sizes above are at 10 pt body text and scale with it)
        "item": item,
        "numbered": ParagraphStyle("numbered", parent=item, bulletFontName=fonts.BOLD),
        "check": ParagraphStyle("check", parent=item, bulletFontSize=body_pt * 1.25),
        "cell": ParagraphStyle("cell", parent=base, spaceAfter=0),
        "head_cell": ParagraphStyle("head_cell", parent=base, fontName=fonts.BOLD, spaceAfter=0),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=MUTED),
        # A slide's one statement or question, set large (slides only).
        "statement": ParagraphStyle(
            "statement",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=body_pt * 1.8,
            leading=body_pt * 1.8 * 1.18,
            spaceAfter=body_pt * 0.8,
            textColor=INK,
        ),
        "band": ParagraphStyle("band", parent=base, fontName=fonts.BOLD, spaceAfter=0),
    }


# --- inline Markdown to ReportLab paragraph markup -----------------------------------------


def escape(text: str) -> str:
    """`text` as paragraph markup: `&`, `<` and `>` as entities (xml.sax's escape, without
    the import of urllib and http.client that comes with it)."""
    return html.escape(text, quote=False)


def _inline(node: SyntaxTreeNode) -> str:
    parts: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            parts.append(escape(child.content))
        elif kind == "strong":
            parts.append(f"<b>{_inline(child)}</b>")
        elif kind == "em":
            parts.append(f"<i>{_inline(child)}</i>")
        elif kind == "code_inline":
            parts.append(escape(child.content))
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("<br/>")
        elif kind == "link":
            href = str(child.attrs.get("href", ""))
            label = _inline(child)
            # On paper a link is only useful with its address printed.
            shown = "" if label == escape(href) else f" ({escape(href)})"
            parts.append(f'<link href="{escape(href)}">{label}{shown}</link>')
        else:
            parts.append(_inline(child))
    return "".join(parts)


# --- writing space and fields ---------------------------------------------------------------


class WritingLines(Flowable):  # type: ignore[misc]
    """Ruled lines to write on: a fixed count, or (`count=None`) a share of the page.

    `fill` spaces get their line count from `_size_fill_spaces` before the build. More
    lines than the rest of a page holds go on over the next page.
    """

    def __init__(self, count: int | None) -> None:
        super().__init__()
        self.count = count
        self.lines = count or 3
        self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.lines * LINE_GAP
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = int(avail_height // LINE_GAP)
        if room < 1 or room >= self.lines:
            return []
        return [WritingLines(room), WritingLines(self.lines - room)]

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        for i in range(self.lines):
            y = self.height - (i + 1) * LINE_GAP + 1
            c.line(0, y, self.width, y)


def _fields(text: str, styles: dict[str, ParagraphStyle], width: float) -> Table:
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        label, _, value = line.partition(":")
        rows.append(
            [
                Paragraph(f"<b>{escape(label.strip())}:</b>", styles["cell"]),
                Paragraph(escape(value.strip()), styles["cell"]),
            ]
        )
    label_width = 38 * MM
    table = Table(rows, colWidths=[label_width, width - label_width])
    table.setStyle(
        TableStyle(
            [
                *_CELL_FONT,
                ("LINEBELOW", (1, 0), (1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


# --- blocks ---------------------------------------------------------------------------------


@dataclass
class _Builder:
    styles: dict[str, ParagraphStyle]
    look: Look
    width: float
    height: float
    """The frame's height: no blank space is taller."""
    headings: int = 0

    def blocks(self, nodes: list[SyntaxTreeNode]) -> list[Flowable]:
        out: list[Flowable] = []
        for node in nodes:
            made = list(self.block(node))
            if node.type == "fence" and node.info.split()[:1] == ["lines"] and out:
                out[-1].keepWithNext = 1  # a question stays with its writing space
            lead_in = (
                isinstance(out[-1], Paragraph) and out[-1].text.endswith(":") if out else False
            )
            if node.type in ("bullet_list", "ordered_list") and lead_in:
                out[-1].keepWithNext = 1  # "Spørg:" stays with the list it introduces
            out.extend(made)
        return out

    def block(self, node: SyntaxTreeNode) -> Iterator[Flowable]:
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1])
            style = self.styles[f"h{min(level, 4)}"]
            para = Paragraph(_inline(node.children[0]), style)
            if level <= 3:
                self.headings += 1
                para._bookmark = (f"h{self.headings}", max(0, level - 2), para.getPlainText())
            yield para
        elif kind == "paragraph":
            yield Paragraph(_inline(node.children[0]), self.styles["body"])
        elif kind in ("bullet_list", "ordered_list"):
            yield from self.list(node)
        elif kind == "blockquote":
            yield self.box(node)
        elif kind == "table":
            yield self.table(node)
        elif kind == "hr":
            yield PageBreak()
        elif kind == "fence":
            yield from self.fence(node)
        # html_block and code_block print nothing; `markdown.parse` refused any other kind.

    def list(self, node: SyntaxTreeNode) -> Iterator[Flowable]:
        """Each item a paragraph with its bullet, number or box, so that a lead-in line and
        a heading can keep with the first item (ReportLab's ListFlowable cannot)."""
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1))
        for number, item in enumerate(node.children, start):
            for k, flowable in enumerate(self.blocks(item.children)):
                if not isinstance(flowable, Paragraph):
                    yield flowable
                    continue
                text, bullet, style = flowable.text, None, "numbered" if ordered else "item"
                if k == 0:
                    bullet = f"{number}." if ordered else "•"
                    for mark, glyph in (("[ ] ", "☐"), ("[x] ", "☒"), ("[X] ", "☒")):
                        if text.startswith(mark):
                            text, bullet, style = text[len(mark) :], glyph, "check"
                yield Paragraph(text, self.styles[style], bulletText=bullet)
        yield Spacer(0, BODY_PT * 0.5)

    def box(self, node: SyntaxTreeNode) -> Flowable:
        width = self.width
        self.width = width - 20  # what lies inside the box's padding
        try:
            inner = self.blocks(node.children)
        finally:
            self.width = width
        if inner and isinstance(inner[-1], Paragraph):
            inner[-1].style = ParagraphStyle("last", parent=inner[-1].style, spaceAfter=0)
        # One cell: the box never splits (unless it is taller than a page), and it keeps its
        # own space above and below.
        table = Table([[inner]], colWidths=[width], spaceBefore=2, spaceAfter=8)
        table.setStyle(
            TableStyle(
                [
                    *_CELL_FONT,
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(self.look.tint)),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(self.look.accent)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return self.tall(table)

    def table(self, node: SyntaxTreeNode) -> Flowable:
        rows: list[list[Paragraph]] = []
        lengths: list[list[int]] = []
        for section in node.children:
            for tr in section.children:
                row, sizes = [], []
                for cell in tr.children:
                    style = self.styles["head_cell" if cell.type == "th" else "cell"]
                    markup = _inline(cell.children[0]) if cell.children else ""
                    row.append(Paragraph(markup, style))
                    sizes.append(len(Paragraph(markup, style).getPlainText()))
                rows.append(row)
                lengths.append(sizes)
        columns = len(rows[0])
        # Columns share the width by their longest text, each at least 14 %.
        longest = [max(min(r[i], 70) for r in lengths) + 4 for i in range(columns)]
        shares = [max(length / sum(longest), 0.14) for length in longest]
        widths = [self.width * s / sum(shares) for s in shares]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    *_CELL_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor(self.look.accent)),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        table = self.tall(table)
        return KeepTogether([table, Spacer(0, 8)]) if len(rows) <= 12 else table

    def fence(self, node: SyntaxTreeNode) -> Iterator[Flowable]:
        """A fenced block, its arguments checked by `markdown.parse`."""
        kind = node.info.split()[0]
        if kind == "lines":
            yield WritingLines(writing_lines(node))
            yield Spacer(0, 4)
        elif kind == "space":
            # At most a page (slides are shorter than the 200 mm a space may be).
            yield Spacer(0, min(space_mm(node) * MM, self.height))
        elif kind == "fields":
            yield self.tall(_fields(node.content, self.styles, self.width))
            yield Spacer(0, 10)
        elif kind == "band":
            yield self.band(band_colour(node, self.look.accent), node.content)

    def band(self, colour: str, text: str) -> Flowable:
        """A bar in a category's colour with its name, in the colour that reads on it."""
        style = ParagraphStyle("band-text", parent=self.styles["band"], textColor=text_on(colour))
        table = Table([[Paragraph(escape(" ".join(text.split())), style)]], colWidths=[self.width])
        pad = self.styles["body"].fontSize * 0.4
        table.setStyle(
            TableStyle(
                [
                    *_CELL_FONT,
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(colour)),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.5),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                ]
            )
        )
        table.spaceAfter = pad * 2
        return self.tall(table)

    def tall(self, table: Table) -> Table:
        """`table`, splitting inside a row where a row is taller than a page (a long text in
        a cell); rows that fit a page stay whole and move to the next page instead."""
        table.wrap(self.width, self.height)
        if max(table._rowHeights, default=0) > self.height:
            table.splitInRow = 1
        return table


def _height(flowable: Flowable, canvas: Canvas, width: float, height: float) -> float:
    """The room a flowable takes in a frame, spaces included."""
    if isinstance(flowable, KeepTogether):  # its own wrap() answers "too tall" to force a split
        return sum(_height(f, canvas, width, height) for f in flowable._content)
    size = flowable.wrapOn(canvas, width, height)[1]
    return float(size + flowable.getSpaceBefore() + flowable.getSpaceAfter())


def _size_fill_spaces(flowables: list[Flowable], width: float, height: float) -> None:
    """Share what each page leaves free between the `fill` writing spaces on it.

    A page is what lies between two page breaks; its other flowables are measured at the
    frame's width, and the height they leave is split evenly, in whole lines.
    """
    measure = Canvas(io.BytesIO())
    page: list[Flowable] = []
    for flowable in [*flowables, PageBreak()]:
        if not isinstance(flowable, PageBreak):
            page.append(flowable)
            continue
        fills = [f for f in page if isinstance(f, WritingLines) and f.count is None]
        if fills:
            used = sum(_height(f, measure, width, height) for f in page if f not in fills)
            free = height - used - LINE_GAP  # one line of slack for rounding in the frame
            for f in fills:
                f.lines = max(3, int(free / len(fills) // LINE_GAP))
        page = []


# --- pages ----------------------------------------------------------------------------------


def _numbered_canvas(front: FrontMatter, look: Look) -> Callable[..., Canvas]:
    """A canvas class that draws header and footer once the page count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("invariant", True)
            kwargs.setdefault("pageCompression", 1)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(fonts.REGULAR, 8)
            self.setFillColor(MUTED)
            top = height - MARGIN_Y + 7 * MM
            if front.header:
                room = width - 2 * MARGIN - (45 * MM if look.logo is not None else 0)
                self.drawString(MARGIN, top, _shortened(front.header, fonts.REGULAR, 8, room))
                self.setStrokeColor(colors.HexColor(look.accent))
                self.setLineWidth(0.6)
                self.line(MARGIN, top - 2 * MM, width - MARGIN, top - 2 * MM)
            if look.logo is not None:
                logo = ImageReader(io.BytesIO(look.logo))
                w, h = logo.getSize()
                wide = min(5 * MM * w / h, 40 * MM)
                self.drawImage(
                    logo, width - MARGIN - wide, top - 1 * MM, wide, wide * h / w, mask="auto"
                )
            bottom = MARGIN_Y - 9 * MM
            room = width - 2 * MARGIN
            # The label is a template's text, not a format string of Python's: "{page:>9999}"
            # would be a width of 9,999 characters.
            label = front.page_label.replace("{page}", str(self._pageNumber))
            label = _shortened(label.replace("{pages}", str(total)), fonts.REGULAR, 8, room / 2)
            beside = room - fonts.width(label, fonts.REGULAR, 8) - 4 * MM
            if front.footer:
                self.drawString(MARGIN, bottom, _shortened(front.footer, fonts.REGULAR, 8, beside))
            if look.footer:
                self.drawString(
                    MARGIN, bottom + 4 * MM, _shortened(look.footer, fonts.REGULAR, 8, room)
                )
            self.drawRightString(width - MARGIN, bottom, label)
            self.restoreState()

    return NumberedCanvas


class Limited(BaseDocTemplate):  # type: ignore[misc]
    """A document that stops at `limit` pages: a text that runs on past them is an error
    (`markdown.parse` bounds what makes pages; this is for what it cannot foresee)."""

    def __init__(
        self, *args: Any, limit: int, where: str, unit: str = "pages", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit, self.where, self.unit = limit, where, unit

    def handle_pageBegin(self) -> None:
        if self.page >= self.limit:
            raise _PastLimit  # ReportLab adds its own words to what passes through it
        super().handle_pageBegin()


class _PastLimit(Exception):
    """A `Limited` document is about to begin a page past its limit."""


class _Doc(Limited):
    """A printed document, with a bookmark for each heading."""

    def afterFlowable(self, flowable: Flowable) -> None:
        mark = getattr(flowable, "_bookmark", None)
        if mark is not None:
            key, level, text = mark
            # An outline cannot skip a level (a "### Gruppe 1" with no section above it).
            level = min(level, getattr(self, "_outline_level", -1) + 1)
            self._outline_level = level
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=False)
            self.canv.showOutline()


def check_glyphs(markdown: str, where: str) -> None:
    """Refuse text the kit cannot print, naming the characters and the line."""
    if fonts.unprintable(markdown) is None:  # the whole text at once; lines only to locate
        return
    problems = []
    for number, line in enumerate(markdown.splitlines(), 1):
        why = fonts.unprintable(line)
        if why:
            problems.append(f"{where}: line {number} of the document: {why}")
    if problems:
        raise InputError("; ".join(problems[:5]))


def markdown_pdf(
    text: str,
    *,
    paper_id: str = "a4",
    look: Look | None = None,
    where: str = "",
    pages: int | None = None,
) -> bytes:
    """Typeset `text` (front matter + Markdown) as PDF bytes; deterministic for equal input.

    With `pages`, spacing and then type (never below 9 pt) are tightened until the
    document fits that many pages, or are as tight as they go; a document of more than
    twice that many pages is not tightened (no tightening gains half the pages).
    """
    document = parse(text, where or "document")
    check_glyphs(document.body, where or document.front.title or "document")
    for tight in range(len(TIGHTER) if pages else 1):
        pdf = _typeset(document, paper_id, look, where or "document", tight)
        count = page_count(pdf)
        if pages is None or count <= pages or count > 2 * pages:
            break
    return pdf


def page_count(pdf: bytes) -> int:
    """Pages of a PDF the kit wrote (ReportLab leaves page objects uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _typeset(document: Document, paper_id: str, look: Look | None, where: str, tight: int) -> bytes:
    look = look or Look()
    front = document.front
    page = paper(paper_id)
    page_width, page_height = page.width * MM, page.height * MM
    width = page_width - 2 * MARGIN
    frame_height = page_height - 2 * MARGIN_Y
    # Inside the frame's own padding (6 pt on each side).
    builder = _Builder(_styles(look, tight), look, width - 12, frame_height - 12)
    flowables = builder.blocks(document.blocks)
    _size_fill_spaces(flowables, width - 12, frame_height - 12)
    buffer = io.BytesIO()
    doc = _Doc(
        buffer,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN_Y,
        bottomMargin=MARGIN_Y,
        title=front.title,
        subject=front.subject,
        author="",
        creator="fremfaerd-kit",
        invariant=1,
        limit=MAX_PAGES,
        where=where,
    )
    frame = Frame(MARGIN, MARGIN_Y, width, frame_height, id="body", showBoundary=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    build(doc, flowables, where, canvasmaker=_numbered_canvas(front, look))
    return buffer.getvalue()


def build(doc: Limited, flowables: list[Flowable], where: str, **options: Any) -> None:
    """`doc.build(flowables)`, where a block that no page can hold is the document's error.

    The bounds of `markdown.parse` and the splitting of long rows and writing lines leave
    no such block that the kit knows of; this names one that slipped through, instead of
    ReportLab's message about frames.
    """
    try:
        doc.build(flowables, **options)
    except _PastLimit:
        raise InputError(
            f"{where}: the text runs on past {doc.limit:,} {doc.unit}; a document may have "
            f"at most {doc.limit:,} {doc.unit}"
        ) from None
    except LayoutError as exc:
        shown = _layout_text(str(exc))
        raise InputError(
            f"{where}: a block is too large for a page{shown}; shorten its text"
        ) from None


def _layout_text(message: str) -> str:
    """The start of the text of the flowable in ReportLab's LayoutError message, if any."""
    found = re.search(r"'<Paragraph at 0x[0-9a-f]+>([^']{1,60})", message)
    return f" (it begins {found[1].strip()!r})" if found else ""


_LONGEST = 1_000
"""More characters than any line of small type holds on any page."""


def _shortened(text: str, font: str, size: float, room: float) -> str:
    """`text`, cut at a word (inside a word wider than `room`) and ended with `…` where it
    is wider than `room`. A line in the header or footer is one line, whatever it holds."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if len(text) <= _LONGEST and stringWidth(text, font, size) <= room:
        return text
    head = " ".join(text[:_LONGEST].split())
    low, high = 0, len(head)  # the longest start of the text that fits with its " …"
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(head[:middle] + " …", font, size) <= room:
            low = middle
        else:
            high = middle - 1
    shown = head[:low]
    if low < len(head) and head[low] != " " and " " in shown:
        shown = shown[: shown.rindex(" ")]  # back to the end of the last whole word
    return shown.rstrip() + " …"
