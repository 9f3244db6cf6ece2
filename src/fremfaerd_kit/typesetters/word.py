"""Typeset a document written in Markdown as a Word file (DOCX) that colleagues can edit.

The second typesetter of the same Markdown the PDF typesetter (`typesetters/pdf.py`) reads: the
templates stay the one source of every document's words. Word's own styles carry the
look (Heading 1–4, List Bullet, List Number, a table style), so an edit keeps it; the
document language is Danish; the kit's branding (accent colour, logo, footer line) goes
into the styles, the header and the footer. Writing space and fields become real table
cells, so a worksheet can be filled in on screen.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from ..colours import text_on
from ..frontmatter import Look
from ..markdown import band_colour, parse, writing_lines
from ..output import redated_zip, zip_time
from ..presets import paper
from .pdf import check_glyphs

LANGUAGE = "da-DK"
FONT = "DejaVu Sans Condensed"
"""The kit's typeface where Word has it; Word falls back to its own sans serif otherwise."""


def markdown_docx(
    text: str, *, paper_id: str = "a4", look: Look | None = None, where: str = ""
) -> bytes:
    """`text` (front matter + Markdown) as the bytes of a .docx file."""
    from docx import Document
    from docx.shared import Mm

    look = look or Look()
    document = parse(text, where or "document")
    front = document.front
    check_glyphs(document.body, where or front.title or "document")
    doc = Document()
    # python-docx's template carries a preview picture of its own blank page (a JPEG with
    # EXIF): a document of the kit has no preview rather than a wrong one.
    package = doc.part.package.rels
    for rid, rel in list(package.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.pop(rid)
    size = paper(paper_id)
    for section in doc.sections:
        section.page_width, section.page_height = Mm(size.width), Mm(size.height)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
    _styles(doc, look)
    _furniture(doc, front, look)
    props = doc.core_properties
    props.title = front.title
    props.author = props.last_modified_by = "fremfaerd-kit"
    props.language = LANGUAGE
    props.created = props.modified = datetime(*zip_time())
    props.revision = 1
    writer = _Writer(doc, look)
    for node in document.blocks:
        writer.block(node)
    out = io.BytesIO()
    doc.save(out)
    return redated_zip(out.getvalue())


def _lang(element: Any) -> None:
    """Mark a run-properties element as Danish."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = element.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        element.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _styles(doc: Any, look: Look) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    accent = RGBColor.from_string(look.accent.lstrip("#"))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            _lang(run_defaults.find(qn("w:rPr")))
    _lang(normal.element.get_or_add_rPr())
    for level, points in ((1, 18), (2, 14), (3, 12), (4, 10.5)):
        style = doc.styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(points)
        style.font.color.rgb = accent if level <= 2 else RGBColor(0x1A, 0x1A, 0x1A)


def _furniture(doc: Any, front: Any, look: Look) -> None:
    """Header (running title, logo) and footer (branding line, source, page number)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    header = section.header.paragraphs[0]
    if look.logo is not None:
        from PIL import Image

        with Image.open(io.BytesIO(look.logo)) as image:  # the kit's own clean PNG or JPEG
            w, h = image.size
        # 6 mm tall, as the PDF's header has it 5: a long logo at most 40 mm wide.
        tall = min(6.0, 40.0 * h / w)
        header.add_run().add_picture(io.BytesIO(look.logo), width=Mm(tall * w / h), height=Mm(tall))
        header.add_run("  ")
    if front.header:
        header.add_run(front.header).font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    lines = [t for t in (look.footer, front.footer) if t]
    for i, line in enumerate(lines):
        run = footer.add_run(line)
        run.font.size = Pt(8)
        if i < len(lines) - 1:
            run.add_break()
    number = section.footer.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for code in ("PAGE",):
        run = number.add_run()
        run.font.size = Pt(8)
        for kind, text in (("begin", None), (None, f" {code} "), ("end", None)):
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fldCharType",
                    kind,
                )
                run._r.append(char)
            else:
                instr = OxmlElement("w:instrText")
                instr.text = text
                run._r.append(instr)


class _Writer:
    def __init__(self, doc: Any, look: Look) -> None:
        self.doc = doc
        self.look = look
        self.numbering: tuple[int, set[int]] | None = None
        """List Number's abstract numbering and the numbering ids in use."""
        self.style_ids: dict[str, str] = {}

    def paragraph(self, style: str) -> Any:
        """A new paragraph in the paragraph style named `style`."""
        paragraph = self.doc.add_paragraph()
        paragraph._p.style = self.style_id(style)
        return paragraph

    def style_id(self, style: str) -> str:
        """The id of the (not default) paragraph style named `style`, looked up once:
        python-docx looks through every style each time it is given a name."""
        if style not in self.style_ids:
            self.style_ids[style] = self.doc.styles[style].style_id
        return self.style_ids[style]

    # --- inline ---------------------------------------------------------------------

    def inline(self, paragraph: Any, node: Any, bold: bool = False, italic: bool = False) -> None:
        for child in node.children:
            kind = child.type
            if kind in ("text", "code_inline"):
                run = paragraph.add_run(child.content)
                run.bold, run.italic = bold or None, italic or None
            elif kind == "strong":
                self.inline(paragraph, child, True, italic)
            elif kind == "em":
                self.inline(paragraph, child, bold, True)
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind == "link":
                href = str(child.attrs.get("href", ""))
                self.inline(paragraph, child, bold, italic)
                label = "".join(c.content for c in child.children if c.type == "text")
                if label != href:
                    paragraph.add_run(f" ({href})")
            else:
                self.inline(paragraph, child, bold, italic)

    # --- blocks ---------------------------------------------------------------------

    def block(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "heading":
            level = min(int(node.tag[1]), 4)
            self.inline(self.paragraph(f"Heading {level}"), node.children[0])
        elif kind == "paragraph":
            self.inline(self.doc.add_paragraph(), node.children[0])
        elif kind in ("bullet_list", "ordered_list"):
            self.list(node)
        elif kind == "blockquote":
            self.box(node)
        elif kind == "table":
            self.table(node)
        elif kind == "hr":
            from docx.enum.text import WD_BREAK

            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "fence":
            self.fence(node)
        # html_block and code_block print nothing; `markdown.parse` refused any other kind.

    def list(self, node: SyntaxTreeNode) -> None:
        ordered = node.type == "ordered_list"
        restart = self._fresh_numbering() if ordered else None
        for item in node.children:
            for child in item.children:
                if child.type != "paragraph":
                    self.block(child)
                    continue
                style = "List Number" if ordered else "List Bullet"
                paragraph = self.paragraph(style)
                inline = child.children[0]
                first = inline.children[0] if inline.children else None
                marks = ("[ ] ", "[x] ", "[X] ")
                if first is not None and first.type == "text" and first.content[:4] in marks:
                    paragraph._p.style = self.style_id("List Paragraph")
                    paragraph.add_run(
                        ("☐ " if first.content[1] == " " else "☒ ") + first.content[4:]
                    )
                    for rest in inline.children[1:]:
                        self.inline(paragraph, _alone(rest))
                    continue
                self.inline(paragraph, inline)
                if restart is not None:  # each numbered list counts from 1
                    num = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                    num.get_or_add_ilvl().val = 0
                    num.get_or_add_numId().val = restart

    def _fresh_numbering(self) -> int:
        """A numbering of Word's List Number that starts again at 1.

        The ids are the ones python-docx's `add_num` gives (the first unused), found here
        from the ids in use, once: `add_num` looks through every numbering each time, which
        for a document of a thousand numbered lists is seconds."""
        from docx.oxml.numbering import CT_Num

        numbering = self.doc.part.numbering_part.element
        if self.numbering is None:
            style = self.doc.styles["List Number"].element
            num_id = style.pPr.numPr.numId.val
            abstract = numbering.num_having_numId(num_id).abstractNumId.val
            used = {int(found) for found in numbering.xpath("./w:num/@w:numId")}
            self.numbering = (int(abstract), used)
        abstract, used = self.numbering
        fresh_id = next(n for n in range(1, len(used) + 2) if n not in used)
        used.add(fresh_id)
        fresh = numbering._insert_num(CT_Num.new(fresh_id, abstract))  # type: ignore[no-untyped-call]
        fresh.add_lvlOverride(ilvl=0).add_startOverride(1)
        return fresh_id

    def box(self, node: SyntaxTreeNode) -> None:
        """A TIP box: one shaded table cell with the accent colour's tint."""
        table = self.doc.add_table(rows=1, cols=1)
        cell = table.cell(0, 0)
        _shade(cell, self.look.tint)
        first = True
        for child in node.children:
            if child.type == "paragraph":
                paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
                self.inline(paragraph, child.children[0])
                first = False
        self.doc.add_paragraph()

    def table(self, node: SyntaxTreeNode) -> None:
        rows = [tr for section in node.children for tr in section.children]
        columns = len(rows[0].children)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        # Row by row: python-docx's table.cell(r, c) lays out the whole table each time.
        for row, tr in zip(table.rows, rows, strict=True):
            for cell, cell_node in zip(row.cells, tr.children, strict=False):
                paragraph = cell.paragraphs[0]
                if cell_node.children:
                    self.inline(paragraph, cell_node.children[0], bold=cell_node.type == "th")
        self.doc.add_paragraph()

    def fence(self, node: SyntaxTreeNode) -> None:
        """A fenced block, its arguments checked by `markdown.parse`."""
        kind = node.info.split()[0]
        if kind == "lines":
            count = writing_lines(node) or 6
            table = self.doc.add_table(rows=count, cols=1)
            for row in table.rows:
                _rule_below(row.cells[0])
                row.height = _mm(9)
            self.doc.add_paragraph()
        elif kind == "space":
            self.doc.add_paragraph()
        elif kind == "fields":
            lines = [line for line in node.content.splitlines() if line.strip()]
            table = self.doc.add_table(rows=len(lines), cols=2)
            for row, line in zip(table.rows, lines, strict=True):
                label, _, value = line.partition(":")
                row.cells[0].paragraphs[0].add_run(f"{label.strip()}:").bold = True
                if value.strip():
                    row.cells[1].paragraphs[0].add_run(value.strip())
                _rule_below(row.cells[1])
            self.doc.add_paragraph()
        elif kind == "band":
            colour = band_colour(node, self.look.accent)
            table = self.doc.add_table(rows=1, cols=1)
            cell = table.cell(0, 0)
            _shade(cell, colour)
            run = cell.paragraphs[0].add_run(" ".join(node.content.split()))
            run.bold = True
            from docx.shared import RGBColor

            run.font.color.rgb = RGBColor.from_string(text_on(colour).lstrip("#"))


class _alone:
    def __init__(self, node: SyntaxTreeNode) -> None:
        self.children = [node]


def _mm(value: float) -> Any:
    from docx.shared import Mm

    return Mm(value)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _rule_below(cell: Any) -> None:
    """A line under a cell: a line to write on."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:color", "9A9A9A")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    cell._tc.get_or_add_tcPr().append(borders)
