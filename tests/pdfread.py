"""Read a PDF back as a user's eye would: words, glyph boxes, coloured boxes and lines.

Everything is returned in PDF coordinates (points, origin bottom left), like the layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from fremfaerd_kit.sheet import Rect


def open_pdf(data: bytes) -> pymupdf.Document:
    return pymupdf.open(stream=data, filetype="pdf")


@dataclass(frozen=True)
class Word:
    text: str
    box: Rect


def _rect(page: pymupdf.Page, r: pymupdf.Rect) -> Rect:
    height = page.rect.height
    return Rect(r.x0, height - r.y1, r.x1 - r.x0, r.y1 - r.y0)


def words(page: pymupdf.Page) -> list[Word]:
    """Words in reading order (block, line, word)."""
    return [Word(w[4], _rect(page, pymupdf.Rect(w[:4]))) for w in page.get_text("words")]


KEEP_HYPHEN = {"og", "eller", "samt"}
"""`læse- og skrivefærdigheder`: a hyphen before these words is the text's own."""


def words_in(page: pymupdf.Page, area: Rect) -> list[str]:
    """The words whose centre lies in `area`, in reading order, a word hyphenated at a
    line's end read as one word (as a person reads it)."""
    raw = [(w[4], (w[5], w[6])) for w in page.get_text("words") if area.contains(*_centre(page, w))]
    joined: list[str] = []
    line_of_last = None
    for text, line in raw:
        if (
            joined
            and joined[-1].endswith("-")
            and line != line_of_last
            and text[:1].islower()
            and text.rstrip(".,;:!?") not in KEEP_HYPHEN
        ):
            joined[-1] = joined[-1][:-1] + text
        else:
            joined.append(text)
        line_of_last = line
    return joined


def _centre(page: pymupdf.Page, w: tuple) -> tuple[float, float]:
    box = _rect(page, pymupdf.Rect(w[:4]))
    return box.x + box.w / 2, box.y + box.h / 2


def unhyphenated(text: str) -> str:
    """Page text with words hyphenated at a line's end joined again."""
    return re.sub(r"(\w)-\n(?!(?:" + "|".join(KEEP_HYPHEN) + r")\b)(?=[a-zæøå])", r"\1", text)


def glyph_boxes(page: pymupdf.Page) -> list[tuple[str, Rect]]:
    """Every character with its box (the font's ascent to descent, advance wide)."""
    boxes = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for char in span["chars"]:
                    if not char["c"].isspace():
                        boxes.append((char["c"], _rect(page, pymupdf.Rect(char["bbox"]))))
    return boxes


def filled_rects(page: pymupdf.Page) -> list[tuple[Rect, str]]:
    """Filled rectangles with their fill colour as `#RRGGBB`."""
    found = []
    for drawing in page.get_drawings():
        fill = drawing.get("fill")
        if fill is None:
            continue
        colour = "#" + "".join(f"{round(c * 255):02X}" for c in fill)
        for item in drawing["items"]:
            if item[0] == "re":
                found.append((_rect(page, item[1]), colour))
    return found


def line_segments(page: pymupdf.Page) -> list[tuple[float, float, float, float]]:
    """Stroked straight lines, as (x1, y1, x2, y2)."""
    height = page.rect.height
    segments = []
    for drawing in page.get_drawings():
        for item in drawing["items"]:
            if item[0] == "l":
                a, b = item[1], item[2]
                segments.append((a.x, height - a.y, b.x, height - b.y))
    return segments


def close(a: float, b: float, tolerance: float = 0.05) -> bool:
    return abs(a - b) <= tolerance


def pdf_text(path: Path) -> str:
    """All the text of the PDF at `path`, its whitespace made single spaces (and words
    hyphenated at a line's end whole again)."""
    pages = open_pdf(path.read_bytes())
    return " ".join(" ".join(unhyphenated(page.get_text()).split()) for page in pages)
