"""A two-sided test sheet whose scales show the --back-offset a duplex printer needs."""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from . import fonts
from .presets import MM, Paper, labels
from .sheet import Duplex, Rect, Sheet

RANGE_MM = 5
LABEL_PT = 6.5
"""The scales' numbers: legible (over 6 pt), and clear of each other."""


def render_calibration(paper: Paper, duplex: Duplex) -> bytes:
    """Front: crosses; back: scales where a perfect printer puts each cross's lines."""
    fonts.register()
    width, height = paper.width * MM, paper.height * MM
    sheet = Sheet(width, height, 0.0, (), (), (0.0, 0.0))
    targets = [
        (width * fx, height * fy)
        for fx, fy in ((0.5, 0.5), (0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))
    ]
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), invariant=True)
    c.setTitle("Kalibrering af bagsider")
    c.setAuthor("fremfaerd-kit")
    c.setCreator("fremfaerd-kit")
    c.setLineWidth(0.3)
    for x, y in targets:
        c.line(x - 15 * MM, y, x + 15 * MM, y)
        c.line(x, y - 15 * MM, x, y + 15 * MM)
    c.setFont(fonts.REGULAR, 9)
    c.drawString(15 * MM, 12 * MM, labels()["calibrate_front"])
    c.showPage()

    def back(x: float, y: float) -> tuple[float, float]:
        spot = sheet.back_of(Rect(x, y, 0, 0), duplex)
        return spot.x, spot.y

    c.setLineWidth(0.25)
    for x, y in targets:
        for v in range(-RANGE_MM, RANGE_MM + 1):
            tick = (2.5 if v == 0 else 1.8 if v % 2 == 0 else 1.0) * MM
            # X scale, 8 mm above the cross's centre: read where the front's vertical line is
            bx, by = back(x + v * MM, y + 8 * MM)
            c.line(bx, by, bx, by + tick)
            if v % 2 == 0:
                # Labels 2 mm apart would touch at a legible size: every other one higher.
                lift = tick + (0.6 if v % 4 == 0 else 4.4) * MM
                c.setFont(fonts.REGULAR, LABEL_PT)
                c.drawCentredString(bx, by + lift, f"{v:+d}" if v else "0")
            # Y scale, 8 mm right of the centre (as seen from the front)
            bx, by = back(x + 8 * MM, y + v * MM)
            outward = 1 if bx >= back(x, y)[0] else -1
            c.line(bx, by, bx + outward * tick, by)
            if v % 2 == 0:
                c.setFont(fonts.REGULAR, LABEL_PT)
                label = f"{v:+d}" if v else "0"
                lx = bx + outward * (tick + (0.6 if v % 4 == 0 else 4.2) * MM)
                if outward > 0:
                    c.drawString(lx, by - LABEL_PT * 0.36, label)
                else:
                    c.drawRightString(lx, by - LABEL_PT * 0.36, label)
        c.setFont(fonts.BOLD, 8)
        xs, ys = back(x, y + 8 * MM + 11 * MM), back(x + 8 * MM + 12 * MM, y)
        c.drawCentredString(xs[0], xs[1], labels()["calibrate_x"])
        c.drawCentredString(ys[0], ys[1] - 2.5, labels()["calibrate_y"])
    c.setFillColor(HexColor("#1A1A1A"))
    c.setFont(fonts.REGULAR, 9)
    c.drawString(15 * MM, 12 * MM, labels()["calibrate_back"])
    c.drawString(15 * MM, 17 * MM, labels()["calibrate_which"])
    c.showPage()
    c.save()
    return buffer.getvalue()
