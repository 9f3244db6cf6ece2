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

from markdown_it import MarkdownIt
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
from ..frontmatter import FrontMatter, Look, split_front_matter
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

    `fill` spaces get their line count from `_size_fill_spaces` before the build.
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

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        for i in range(self.lines):
            y = self.height - (i + 1) * LINE_GAP + 1
            c.line(0, y, self.width, y)


def _fields(text: str, styles: dict[str, ParagraphStyle], width: float) -> Flowable:
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
        elif kind in ("html_block", "code_block"):
            return
        else:
            raise InputError(f"document: Markdown element {kind!r} is not supported")

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
        inner = self.blocks(node.children)
        if inner and isinstance(inner[-1], Paragraph):
            inner[-1].style = ParagraphStyle("last", parent=inner[-1].style, spaceAfter=0)
        # One cell: the box never splits, and it keeps its own space above and below.
        table = Table([[inner]], colWidths=[self.width], spaceBefore=2, spaceAfter=8)
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
        return table

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
        return KeepTogether([table, Spacer(0, 8)]) if len(rows) <= 12 else table

    def fence(self, node: SyntaxTreeNode) -> Iterator[Flowable]:
        words = node.info.split()
        kind = words[0] if words else ""
        if kind == "lines":
            arg = words[1] if len(words) > 1 else "fill"
            if arg != "fill" and not arg.isdigit():
                raise InputError(f"document: ```lines takes a number or fill, not {arg!r}")
            yield WritingLines(None if arg == "fill" else int(arg))
            yield Spacer(0, 4)
        elif kind == "space":
            yield Spacer(0, float(words[1]) * MM if len(words) > 1 else 10 * MM)
        elif kind == "fields":
            yield _fields(node.content, self.styles, self.width)
            yield Spacer(0, 10)
        elif kind == "band":
            yield self.band(words[1] if len(words) > 1 else self.look.accent, node.content)
        else:
            raise InputError(f"document: unknown fenced block ```{kind}")

    def band(self, colour: str, text: str) -> Flowable:
        """A bar in a category's colour with its name, in the colour that reads on it."""
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
            raise InputError(f"document: ```band takes a colour #RRGGBB, not {colour!r}")
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
            if front.footer:
                self.drawString(MARGIN, bottom, front.footer)
            if look.footer:
                self.drawString(MARGIN, bottom + 4 * MM, look.footer)
            label = front.page_label.format(page=self._pageNumber, pages=total)
            self.drawRightString(width - MARGIN, bottom, label)
            self.restoreState()

    return NumberedCanvas


class _Doc(BaseDocTemplate):  # type: ignore[misc]
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
    document fits that many pages, or are as tight as they go.
    """
    for tight in range(len(TIGHTER) if pages else 1):
        pdf = _typeset(text, paper_id, look, where, tight)
        if pages is None or page_count(pdf) <= pages:
            break
    return pdf


def page_count(pdf: bytes) -> int:
    """Pages of a PDF the kit wrote (ReportLab leaves page objects uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _typeset(text: str, paper_id: str, look: Look | None, where: str, tight: int) -> bytes:
    look = look or Look()
    front, body = split_front_matter(text)
    check_glyphs(body, where or front.title or "document")
    page = paper(paper_id)
    page_width, page_height = page.width * MM, page.height * MM
    width = page_width - 2 * MARGIN
    builder = _Builder(_styles(look, tight), look, width - 12)  # inside the frame's padding
    parser = MarkdownIt("commonmark").enable("table")
    flowables = builder.blocks(SyntaxTreeNode(parser.parse(body)).children)
    frame_height = page_height - 2 * MARGIN_Y
    _size_fill_spaces(flowables, width - 12, frame_height - 12)  # the frame's own padding
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
    )
    frame = Frame(MARGIN, MARGIN_Y, width, page_height - 2 * MARGIN_Y, id="body", showBoundary=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(flowables, canvasmaker=_numbered_canvas(front, look))
    return buffer.getvalue()


def _shortened(text: str, font: str, size: float, room: float) -> str:
    """`text`, cut at a word and ended with `…` where it is wider than `room`."""
    if fonts.width(text, font, size) <= room:
        return text
    words = text.split()
    while words and fonts.width(" ".join(words) + " …", font, size) > room:
        words.pop()
    return " ".join(words) + " …"
