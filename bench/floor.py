"""The floor for `kit cards`: a bare ReportLab script drawing the same generated cards.

    python bench/floor.py N OUT.pdf

A4, 3×3 poker cards (63×88 mm) with a coloured band, the question and the example in the
kit's fonts, crop marks, and a back page of coloured backs after each front page; no
content files, no validation, no fitting, no checks. What `kit cards` costs above this is
the price of what it does besides drawing.
"""

from __future__ import annotations

import sys

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from run import CATEGORIES, FONTS, cards

MM = 72 / 25.4


def main() -> None:
    count, out = int(sys.argv[1]), sys.argv[2]
    pdfmetrics.registerFont(TTFont("Sans", str(FONTS / "DejaVuSansCondensed.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(FONTS / "DejaVuSansCondensed-Bold.ttf")))
    colours = dict(CATEGORIES)
    w, h = 63 * MM, 88 * MM
    x0, y0 = (210 * MM - 3 * w) / 2, (297 * MM - 3 * h) / 2
    c = Canvas(out, pagesize=(210 * MM, 297 * MM), invariant=True, pageCompression=1)
    items = cards(count)
    for start in range(0, len(items), 9):
        chunk = items[start : start + 9]
        for k, (cat, question, example) in enumerate(chunk):
            x, y = x0 + (k % 3) * w, y0 + (2 - k // 3) * h
            c.setFillColor(HexColor(colours[cat]))
            c.rect(x, y + h - 10 * MM, w, 10 * MM, stroke=0, fill=1)
            c.setFillColor(HexColor("#FFFFFF"))
            c.setFont("Sans-Bold", 8.5)
            c.drawString(x + 4 * MM, y + h - 6.5 * MM, cat.capitalize())
            c.setFillColor(HexColor("#1A1A1A"))
            top = y + h - 16 * MM
            for line in simpleSplit(question, "Sans-Bold", 12.5, w - 8 * MM):
                c.setFont("Sans-Bold", 12.5)
                c.drawString(x + 4 * MM, top, line)
                top -= 15
            top -= 6
            for line in simpleSplit(example, "Sans", 10, w - 8 * MM):
                c.setFont("Sans", 10)
                c.drawString(x + 4 * MM, top, line)
                top -= 12
            c.setFont("Sans", 8)
            c.drawRightString(x + w - 4 * MM, y + 4 * MM, str(start + k + 1))
            for cx in (x, x + w):
                for cy in (y, y + h):
                    c.line(cx - 3 * MM, cy, cx - 0.5 * MM, cy)
                    c.line(cx, cy - 3 * MM, cx, cy - 0.5 * MM)
        c.showPage()
        for k, (cat, _, _) in enumerate(chunk):
            x, y = x0 + (2 - k % 3) * w, y0 + (2 - k // 3) * h
            c.setFillColor(HexColor(colours[cat]))
            c.rect(x, y, w, h, stroke=0, fill=1)
            c.setFillColor(HexColor("#FFFFFF"))
            c.setFont("Sans-Bold", 15)
            c.drawCentredString(x + w / 2, y + h / 2, "Benchmark")
        c.showPage()
    c.save()


if __name__ == "__main__":
    main()
