"""Text on a ReportLab canvas as PDF operators written directly: the cards' hot path.

ReportLab's text objects re-check fonts, colours, alpha and cursor for every string; a
sheet of cards puts some 140 strings on a page and thousands of pages in a deck. A
`TextBlock` gathers a card face's strings into one `BT … ET` block and hands it to the
canvas with `addLiteral`, encoding each string with ReportLab's own font subsets (so
fonts embed exactly as before). Only RGB fill colours and left-aligned strings at given
baselines: what the cards need, nothing more.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from .colours import rgb


@cache
def _fill(colour: str) -> str:
    return f"{fp_str(*rgb(colour))} rg"


class TextBlock:
    """One PDF text object: strings put at points, in a font and a colour."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.doc = canvas._doc  # the document whose font subsets the strings use
        self.ops: list[str] = ["BT"]
        self.font: tuple[str, float, int] | None = None

    def colour(self, colour: str) -> None:
        """Fill colour (`#RRGGBB`) for the strings that follow."""
        self.ops.append(_fill(colour))

    def put(self, x: float, y: float, font: str, size: float, text: str) -> None:
        """`text` with its baseline starting at (x, y)."""
        face = pdfmetrics.getFont(font)
        ops = self.ops
        ops.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for subset, chars in face.splitString(text, self.doc):
            if self.font != (font, size, subset):
                ops.append(f"{face.getSubsetInternalName(subset, self.doc)} {fp_str(size)} Tf")
                self.font = (font, size, subset)
            ops.append(f"({escapePDF(chars)}) Tj")

    def draw(self) -> None:
        """Add the block to the canvas's current page."""
        if len(self.ops) > 1:
            self.canvas.addLiteral(" ".join([*self.ops, "ET"]))
        self.ops = ["BT"]
        self.font = None
