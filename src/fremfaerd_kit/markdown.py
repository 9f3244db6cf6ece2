"""The Markdown a document template writes, parsed once and bounded before any typesetter
reads it.

The render's own bounds (3 seconds, 5,000,000 characters) stop a template that runs away;
they leave room for documents that no printer wants and no typesetter finishes: 50,000
pages, 100,000 list items, a ruled block a kilometre tall. So what a typesetter is handed
is bounded here, once, for all of them (PDF, slides, Word): pages, blocks, list items,
table rows and columns, nested boxes, the text of one block and the arguments of the
fenced blocks, each generous for a real document (a guide is 10 pages and 10,000
characters, a handout one page, the largest worksheet set 120 pages). Going past one is a
problem that names the template's file and the line of the document it wrote.

Parsing itself costs by the mark, not by the word: markdown-it takes seconds for half a
million characters of table cells or emphasis, and nothing for as many plain words. So the
characters and the marks (line breaks, `*`, `_`, brackets, backticks, `|`, `\\`, `<`, `>`,
`&`) are counted before parsing, with `str.count` at C speed.

The parsed tree is kept for the last few texts: the render checks a document where its
template's file is known, and the typesetters read the same tree without parsing again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ContentError, Location, Problem
from .frontmatter import FrontMatter, split_front_matter

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

MAX_PAGES = 200
"""Pages of a printed document: a guide is 10, thirty groups' worksheets 120."""
MAX_SLIDES = 1_100
"""Slides of one document: a deck of 1,000 cards with its guidance and warm-up."""
MAX_CHARACTERS = 200_000
"""Characters of a document's Markdown: a guide is 10,000, the largest worksheet set 115,000."""
MAX_MARKS = 50_000
"""Marks that markdown-it parses one by one; the largest worksheet set has 12,000."""
MAX_BLOCKS = 10_000
"""Paragraphs, headings, list items, table rows and fenced blocks; a guide has 160."""
MAX_ITEMS = 2_000
"""List items of a document (each a line at least): a handout has 15."""
MAX_ROWS = 1_000
"""Rows of the tables (and fields) of a document: a handout's table has 7."""
MAX_COLUMNS = 10
"""Columns of a table: each keeps room for a few letters on a page or slide."""
MAX_BOXES = 3
"""Boxes (`>`) inside one another: each takes its padding from the width."""
MAX_BLOCK_TEXT = 60_000
"""Characters of a paragraph or list item: a content text is at most 20,000, and a list
item can join three (title, detail, text). A paragraph is broken into lines again for each
page it runs on to, so a longer one costs with the square of its length."""
MAX_CELL_TEXT = 25_000
"""Characters of a table row, a box or a block of fields: a content text. A row taller than
a page is split inside its cells, at many times the cost of a paragraph."""
MAX_SLIDE_BLOCKS = 100
"""Blocks of one slide (a table's cells each count): each slide is set at up to six sizes
to find the largest that fits."""
MAX_SLIDE_TEXT = 10_000
"""Characters of one slide: a slide at 24 pt holds about 1,000, so this runs on to ten."""
MAX_LABEL = 200
"""Characters of a field's label (`Label: value`), set in a column 38 mm wide."""
MAX_HEADING = 1_000
"""Characters of a heading (which keeps with what follows it): a title is a line or two."""
MAX_WORD = 20_000
"""Characters without a space: a content text may be one word, broken over lines where it
is wider than they are (a heading is shorter still: ReportLab loops on a heading of such
words longer than two pages)."""
MAX_LINES = 100
"""Ruled lines of one ```lines block (four pages of them)."""
MAX_SPACE_MM = 200.0
"""Height of one ```space block, in mm: it stays shorter than a page (A4 or Letter)."""

SLIDES = ("documents/slides.md.j2", "documents/deck-slides.md.j2")
"""The document templates that write slides."""

_MARKS = ("\n", "*", "_", "[", "]", "`", "|", "\\", "<", ">", "&")
_ARGUMENTS: dict[str, tuple[re.Pattern[str], float | None, str]] = {
    "lines": (
        re.compile(r"fill|[1-9][0-9]{0,2}"),
        MAX_LINES,
        f"a number from 1 to {MAX_LINES}, or fill",
    ),
    "fields": (re.compile(r"(?!)"), None, "no argument"),
    "space": (
        re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,6})?"),
        MAX_SPACE_MM,
        f"a height from 0 to {MAX_SPACE_MM:g} mm",
    ),
    "band": (re.compile(r"#[0-9A-Fa-f]{6}"), None, "a colour #RRGGBB"),
}
"""Each fenced block's argument: its pattern (ASCII digits), the largest number, in words."""
FENCES = tuple(_ARGUMENTS)
"""The fenced blocks a document may have (`typesetters/pdf.py` says what each is)."""
BLOCKS = (
    "heading",
    "paragraph",
    "bullet_list",
    "ordered_list",
    "list_item",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "fence",
    "html_block",
    "code_block",
)
"""The block elements the typesetters know (CommonMark and tables)."""


@dataclass(frozen=True)
class Document:
    """A document as every typesetter reads it: front matter and the parsed blocks."""

    front: FrontMatter
    blocks: list[SyntaxTreeNode]
    body: str


def parse(text: str, where: str = "document", *, slides: bool = False) -> Document:
    """`text` (front matter + Markdown) parsed, with every bound checked: `ContentError`
    naming `where` (the template's file, or what the document is) and the document's line.

    `slides`: the document is slides (`***` between them), with room for more of them
    than a printed document has pages."""
    front, body = split_front_matter(text, where)
    offset = text[: len(text) - len(body)].count("\n")
    problems = [Problem(Location(where), message) for message in _before_parsing(body)]
    if not problems:
        blocks = _tree(body).children
        problems = [
            Problem(Location(where), f"line {line + offset} of the document: {message}")
            for line, message in _bounds(blocks, slides)
        ]
    if problems:
        raise ContentError(problems)
    return Document(front, blocks, body)


@lru_cache(maxsize=4)
def _tree(body: str) -> SyntaxTreeNode:
    """The parsed body, kept for the typesetters that read the same text after the render."""
    from markdown_it.tree import SyntaxTreeNode

    return SyntaxTreeNode(_parser().parse(body))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _before_parsing(body: str) -> Iterator[str]:
    if len(body) > MAX_CHARACTERS:
        yield (
            f"the document is {len(body):,} characters long{_likely(body)}; a document may "
            f"have at most {MAX_CHARACTERS:,} (a guide has 10,000)"
        )
        return
    marks = sum(body.count(mark) for mark in _MARKS)
    if marks > MAX_MARKS:
        yield (
            f"the document has {marks:,} Markdown marks (line breaks, `*`, `_`, `|`, brackets, "
            f"backticks, `\\`, `<`, `>`, `&`){_likely(body)}; a document may have at most "
            f"{MAX_MARKS:,}"
        )


_BREAK_LINE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_ITEM_LINE = re.compile(r"^ *(?:[-+*]|\d{1,9}[.)])[ \t]", re.MULTILINE)


def _likely(body: str) -> str:
    """What a document too large to parse seems to hold too much of, from its lines: page
    breaks and list items ("about": a line in a fenced block looks the same)."""
    found = []
    for pattern, what, bound in (
        (_BREAK_LINE, "page breaks (`***`)", MAX_SLIDES),
        (_ITEM_LINE, "list items", MAX_ITEMS),
    ):
        count = len(pattern.findall(body))
        if count > bound:
            found.append(f"about {count:,} {what}")
    return f", with {' and '.join(found)}" if found else ""


_COUNTED = {
    "pages": ("page", "pages"),
    "slides": ("slide", "slides"),
    "items": ("list item", "list items"),
    "rows": ("table row or field", "table rows and fields"),
    "blocks": ("block", "blocks (paragraphs, headings, list items, table rows, fenced blocks)"),
}
_CONTAINERS = ("bullet_list", "ordered_list", "table", "thead", "tbody", "th", "td")
"""Block elements that hold others and count only through them."""
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


@dataclass
class _Count:
    """How many of one thing a document has, and the line where it passed its bound."""

    bound: int
    total: int = 0
    passed_at: int = 0

    def add(self, line: int, number: int = 1) -> None:
        self.total += number
        if self.total > self.bound and not self.passed_at:
            self.passed_at = line


def _bounds(blocks: list[SyntaxTreeNode], slides: bool) -> Iterator[tuple[int, str]]:
    """(line, message) for every block too large or malformed, and for each count past its
    bound, at the line where it passed it."""
    pages = "slides" if slides else "pages"
    counts = {
        pages: _Count(MAX_SLIDES if slides else MAX_PAGES, total=1),
        "items": _Count(MAX_ITEMS),
        "rows": _Count(MAX_ROWS),
        "blocks": _Count(MAX_BLOCKS),
    }

    def walk(nodes: list[SyntaxTreeNode], boxes: int) -> Iterator[tuple[int, str]]:
        for node in nodes:
            line = (node.map[0] if node.map else 0) + 1
            kind = node.type
            if kind == "inline":  # a block's text, measured with its block
                continue
            if kind not in BLOCKS:
                yield line, f"the Markdown element {kind!r} is not supported"
                continue
            if kind not in _CONTAINERS:
                counts["blocks"].add(line)
            if kind == "hr":
                counts[pages].add(line)
            elif kind == "list_item":
                counts["items"].add(line)
            elif kind == "tr":
                counts["rows"].add(line)
            elif kind == "table":
                columns = len(node.children[0].children[0].children)
                if columns > MAX_COLUMNS:
                    yield (
                        line,
                        f"a table of {columns} columns; a table may have at most {MAX_COLUMNS}",
                    )
            elif kind == "blockquote" and boxes >= MAX_BOXES:
                yield (
                    line,
                    f"a box (`>`) inside {boxes} others; boxes nest at most {MAX_BOXES} deep",
                )
                continue
            elif kind == "fence":
                yield from ((line, message) for message in fence_problems(node))
                if node.info.split()[:1] == ["fields"]:
                    counts["rows"].add(line, sum(1 for r in node.content.splitlines() if r.strip()))
            yield from ((line, message) for message in _size_problems(node))
            if kind not in ("fence", "html_block", "code_block"):
                yield from walk(node.children, boxes + (kind == "blockquote"))

    yield from walk(blocks, 0)
    if slides:
        yield from _slide_problems(blocks)
    for key, count in counts.items():
        if count.passed_at:
            one, many = _COUNTED[key]
            start = " starts here (`***`)" if key == pages else ""
            yield (
                count.passed_at,
                (
                    f"{one} {count.bound + 1:,} of {count.total:,}{start}; a document may have at "
                    f"most {count.bound:,} {many}"
                ),
            )


def _slide_problems(blocks: list[SyntaxTreeNode]) -> Iterator[tuple[int, str]]:
    """A slide with more blocks or text than a few slides' worth: each is fitted at several
    sizes, and more than this is no slide to project."""
    slides: list[list[SyntaxTreeNode]] = [[]]
    for node in blocks:
        if node.type == "hr":
            slides.append([])
        else:
            slides[-1].append(node)
    for number, nodes in enumerate(slides, 1):
        parts = [n for node in nodes for n in _with_text(node)]
        text = sum(len(_text(n)) for n in parts)
        line = (nodes[0].map[0] + 1) if nodes and nodes[0].map else 1
        if len(parts) > MAX_SLIDE_BLOCKS or text > MAX_SLIDE_TEXT:
            yield (
                line,
                (
                    f"slide {number} has {len(parts):,} blocks and {text:,} characters; a slide "
                    f"may have at most {MAX_SLIDE_BLOCKS} blocks and {MAX_SLIDE_TEXT:,} characters "
                    "(a slide at 24 pt holds about 1,000)"
                ),
            )


def _with_text(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    """`node` and the blocks inside it that hold text of their own."""
    if node.type in ("inline", "fence", "code_block", "html_block"):
        yield node
        return
    for child in node.children:
        yield from _with_text(child)


def _size_problems(node: SyntaxTreeNode) -> Iterator[str]:
    """A block too large to typeset: its text, a heading, a table row, a box, a word."""
    kind = node.type
    words = node.info.split()[:1] if kind == "fence" else []
    if kind == "heading":
        text, what, bound = _text(node), "heading", MAX_HEADING
    elif kind in ("tr", "blockquote"):
        text = " ".join(_text(n) for n in _descendants(node))
        what, bound = ("table row" if kind == "tr" else "box (`>`)"), MAX_CELL_TEXT
    elif kind == "fence":
        bound = MAX_CELL_TEXT if words in (["fields"], ["band"]) else MAX_BLOCK_TEXT
        text, what = _text(node), f"```{''.join(words)} block"
    elif kind == "paragraph":
        text, what, bound = _text(node), "paragraph", MAX_BLOCK_TEXT
    else:
        return
    if words == ["fields"]:
        label = max((row.partition(":")[0].strip() for row in text.splitlines()), key=len)
        if len(label) > MAX_LABEL:
            yield (
                f"a field's label of {len(label):,} characters ({_begins(label)}); a label "
                f"may have at most {MAX_LABEL:,}"
            )
    if len(text) > bound:
        yield (
            f"a {what} of {len(text):,} characters ({_begins(text)}); a {what} may have at "
            f"most {bound:,}"
        )
    elif kind != "tr" and kind != "blockquote":  # their paragraphs are looked at themselves
        word = _LONG_WORD.search(text)
        if word:
            yield (
                f"a word of {len(word[0]):,} characters without a space ({_begins(word[0])}); "
                f"a word may have at most {MAX_WORD:,}"
            )


def _descendants(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    """The blocks with text inside `node` (a table row's cells, a box's paragraphs)."""
    for child in node.children:
        if child.type in ("inline", "fence"):
            yield child
        else:
            yield from _descendants(child)


def _text(node: SyntaxTreeNode) -> str:
    """The text a block holds itself (a paragraph's, a heading's, a fenced block's)."""
    if node.type in ("fence", "code_block", "html_block", "inline"):
        return str(node.content)
    inline = node.children[0] if node.children and node.children[0].type == "inline" else None
    return str(inline.content) if inline is not None else ""


def _begins(text: str) -> str:
    words = " ".join(text[:200].split())
    return f"it begins {words if len(words) <= 30 else words[:30] + '…'!r}"


# --- the fenced blocks' arguments ------------------------------------------------------------


def fence_problems(node: SyntaxTreeNode) -> Iterator[str]:
    """What is wrong with a fenced block's kind or arguments (nothing for a right one)."""
    words = node.info.split()
    kind = words[0] if words else ""
    args = words[1:]
    shown = f"```{' '.join(words)}"
    if len(shown) > 40:
        shown = shown[:40] + "…"
    if kind not in FENCES:
        yield f"unknown fenced block {shown}; known: " + ", ".join(f"```{f}" for f in FENCES)
    else:
        pattern, bound, takes = _ARGUMENTS[kind]
        if args and not (
            len(args) == 1
            and pattern.fullmatch(args[0])
            and (bound is None or args[0] == "fill" or float(args[0]) <= bound)
        ):
            yield f"{shown}: ```{kind} takes {takes}"


def writing_lines(node: SyntaxTreeNode) -> int | None:
    """The ruled lines of a ```lines block: a number, or None for `fill` (checked by `parse`)."""
    args = node.info.split()[1:]
    return None if not args or args[0] == "fill" else int(args[0])


def space_mm(node: SyntaxTreeNode) -> float:
    """The height of a ```space block in mm (checked by `parse`): 10 when it says none."""
    args = node.info.split()[1:]
    return float(args[0]) if args else 10.0


def band_colour(node: SyntaxTreeNode, default: str) -> str:
    """The colour of a ```band block (checked by `parse`), or `default`."""
    args = node.info.split()[1:]
    return args[0] if args else default
