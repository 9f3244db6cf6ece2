"""Typeset a slide document (Markdown) as a 16:9 PDF for a projector.

The slides are one Markdown document like the others (`templates/documents/slides*.md.j2`),
with `***` between slides; this is its typesetter for the screen. Each slide gets the
largest body size (30, 27 or 24 pt) at which it fits; nothing on a slide is smaller than
24 pt, so a slide that does not fit even then runs on to a second one, between its blocks.
One block (a heading, a paragraph, a table) that does not fit on a slide at 24 pt is an
error naming the slide and its text: on a projector it would be a page of small print. A
slide without a heading is a statement: its first paragraph that is not all in italics
(a lead-in) is set large and the slide is centred, as in the source decks.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from markdown_it.tree import SyntaxTreeNode
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageBreak, PageTemplate, Spacer
from reportlab.platypus import Paragraph as Para

from ..errors import ContentError, Location, Problem
from ..frontmatter import Look
from ..markdown import MAX_SLIDES, parse
from .pdf import Limited, _Builder, _height, _styles, build, check_glyphs

WIDTH, HEIGHT = 960.0, 540.0
"""16:9, PowerPoint's 13.333 × 7.5 inch widescreen page."""
SIDE, TOP, BOTTOM = 54.0, 62.0, 40.0
SIZES = ((30.0, 1.8), (27.0, 1.8), (24.0, 1.8), (24.0, 1.5), (24.0, 1.25), (24.0, 1.0))
"""Body text size and the statement's scale, largest first: a slide takes the first that
fits. 24 pt is the floor for text on a slide."""


def _slides(nodes: list[SyntaxTreeNode]) -> list[list[SyntaxTreeNode]]:
    slides: list[list[SyntaxTreeNode]] = [[]]
    for node in nodes:
        if node.type == "hr":
            slides.append([])
        else:
            slides[-1].append(node)
    return [s for s in slides if s]


def _set(
    nodes: list[SyntaxTreeNode], look: Look, body: float, large: float, width: float, height: float
) -> list[Flowable]:
    builder = _Builder(_styles(look, body=body), look, width, height)
    flowables = builder.blocks(nodes)
    if not any(n.type == "heading" for n in nodes):  # a statement slide
        statement = builder.styles["statement"]
        style = ParagraphStyle(
            "statement-fitted", parent=statement, fontSize=body * large,
            leading=body * large * 1.18, hyphenationLang="",  # a statement breaks at words
        )  # fmt: skip
        for i, flowable in enumerate(flowables):
            # An italic paragraph leads in to the statement (a warm-up's lead); the first
            # other paragraph is the statement.
            if not isinstance(flowable, Para):
                continue
            if not (flowable.text.startswith("<i>") and flowable.text.endswith("</i>")):
                flowables[i] = Para(flowable.text, style)
                break
    return flowables


def _fitted(
    nodes: list[SyntaxTreeNode], look: Look, width: float, height: float
) -> tuple[list[Flowable], list[str]]:
    """The slide at the largest size that fits, statements centred on the slide; and the
    start of the text of each block that does not fit on a slide even at the smallest."""
    measure = Canvas(io.BytesIO())
    for body, large in SIZES:
        flowables = _set(nodes, look, body, large, width, height)
        sizes = [_height(f, measure, width, height) for f in flowables]
        used = sum(sizes)
        if used <= height:
            break
    too_big = [_start(f) for f, size in zip(flowables, sizes, strict=True) if size > height]
    if not any(n.type == "heading" for n in nodes) and used < height:
        flowables.insert(0, Spacer(0, (height - used) / 2))
    return flowables, too_big


def _start(flowable: Flowable) -> str:
    """The first words of a block's text, to name it."""
    words = " ".join(_first_text(flowable).split())
    return words if len(words) <= 40 else words[:40].rsplit(" ", 1)[0] + " …"


def _first_text(part: Any) -> str:
    """The text of the first paragraph in a block (a table's cells, a kept group)."""
    if isinstance(part, Para):
        return str(part.getPlainText())
    if isinstance(part, list | tuple):
        inner = part
    else:
        inner = getattr(part, "_content", None) or getattr(part, "_cellvalues", None) or ()
    for child in inner:
        found = _first_text(child)
        if found:
            return found
    return ""


def _furniture(look: Look) -> Callable[[Canvas, Any], None]:
    logo = ImageReader(io.BytesIO(look.logo)) if look.logo is not None else None

    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(look.accent))
        canvas.rect(0, HEIGHT - 10, WIDTH, 10, stroke=0, fill=1)
        if logo is not None:
            w, h = logo.getSize()
            tall = 30.0
            wide = min(tall * w / h, 160.0)
            canvas.drawImage(
                logo, WIDTH - SIDE - wide, HEIGHT - 18 - wide * h / w, wide, wide * h / w,
                mask="auto",
            )  # fmt: skip
        canvas.restoreState()

    return draw


def slides_pdf(text: str, *, look: Look | None = None, where: str = "") -> bytes:
    """Typeset `text` (front matter + Markdown, slides between `***`) as a 16:9 PDF."""
    look = look or Look()
    where = where or "slides"
    document = parse(text, where, slides=True)
    check_glyphs(document.body, where)
    width, height = WIDTH - 2 * SIDE, HEIGHT - TOP - BOTTOM
    flowables: list[Flowable] = []
    problems = []
    for i, nodes in enumerate(_slides(document.blocks)):
        if i:
            flowables.append(PageBreak())
        fitted, too_big = _fitted(nodes, look, width, height)
        flowables.extend(fitted)
        for start in too_big:
            problems.append(
                Problem(
                    Location(where),
                    f"slide {i + 1}: the block that begins {start!r} does not fit on a "
                    f"slide at {SIZES[-1][0]:g} pt, the smallest type a slide has; shorten it",
                )
            )
    if problems:
        raise ContentError(problems)
    buffer = io.BytesIO()
    doc = Limited(
        buffer,
        pagesize=(WIDTH, HEIGHT),
        leftMargin=SIDE,
        rightMargin=SIDE,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=document.front.title,
        subject=document.front.subject,
        author="",
        creator="fremfaerd-kit",
        invariant=1,
        pageCompression=1,
        limit=MAX_SLIDES,
        where=where,
        unit="slides",
    )
    frame = Frame(SIDE, BOTTOM, width, height, id="slide", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)  # fmt: skip
    doc.addPageTemplates([PageTemplate(id="slide", frames=[frame], onPage=_furniture(look))])
    build(doc, flowables, where)
    return buffer.getvalue()
