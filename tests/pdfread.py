"""Read a PDF back as a user's eye would: words, glyph boxes, coloured boxes and lines.

Everything is returned in PDF coordinates (points, origin bottom left), like the layout.
"""

from __future__ import annotations

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


def words_in(page: pymupdf.Page, area: Rect) -> list[str]:
    """The words whose centre lies in `area`, in reading order."""
    return [
        w.text for w in words(page) if area.contains(w.box.x + w.box.w / 2, w.box.y + w.box.h / 2)
    ]


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
    """All the text of the PDF at `path`, its whitespace made single spaces."""
    return " ".join(" ".join(page.get_text().split()) for page in open_pdf(path.read_bytes()))
