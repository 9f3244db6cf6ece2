"""Where cards go on a sheet: the grid, the crop marks, and where each back lands for duplex.

All coordinates are PDF points with the origin at the bottom left of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .errors import InputError
from .presets import MM, CardSize, Paper, print_spec

Duplex = Literal["long", "short"]


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def grow(self, d: float) -> Rect:
        """This rectangle with `d` added on every side."""
        return Rect(self.x - d, self.y - d, self.w + 2 * d, self.h + 2 * d)

    def contains(self, x: float, y: float, tolerance: float = 0.01) -> bool:
        return (
            self.x - tolerance <= x <= self.right + tolerance
            and self.y - tolerance <= y <= self.top + tolerance
        )


Segment = tuple[float, float, float, float]


@dataclass(frozen=True)
class Sheet:
    """One page of cards: the cut boxes in reading order, the marks and the scale bar."""

    width: float
    height: float
    bleed: float
    cells: tuple[Rect, ...]
    marks: tuple[Segment, ...]
    scale_bar: tuple[float, float]
    fold_x: float | None = None

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def back_of(self, rect: Rect, duplex: Duplex, offset: tuple[float, float] = (0, 0)) -> Rect:
        """Where the back of `rect` goes on the next page so that it prints behind it.

        Turning the sheet over its long edge mirrors the page across the axis parallel to
        that edge; `offset` (points, as seen from the front: x right, y up) corrects a
        printer that misregisters the back side.
        """
        moved = Rect(rect.x + offset[0], rect.y + offset[1], rect.w, rect.h)
        long_edges_vertical = self.height >= self.width
        if (duplex == "long") == long_edges_vertical:
            return Rect(self.width - moved.right, moved.y, moved.w, moved.h)
        return Rect(moved.x, self.height - moved.top, moved.w, moved.h)


def plan_sheet(paper: Paper, card: CardSize, bleed_mm: float = 0.0, *, fold: bool = False) -> Sheet:
    """Lay out as many cards as fit the printable area, portrait or landscape, centred."""
    options = [
        _plan(paper.width, paper.height, card, bleed_mm, fold),
        _plan(paper.height, paper.width, card, bleed_mm, fold),
    ]
    best = max(options, key=lambda s: len(s.cells) if s else 0)
    if best is None or not best.cells:
        raise InputError(
            f"--size: a {card.width:g}×{card.height:g} mm card"
            f"{f' with {bleed_mm:g} mm bleed' if bleed_mm else ''} does not fit on "
            f"{paper.name} paper{' folded in two' if fold else ''}"
        )
    return best


def _plan(
    width_mm: float, height_mm: float, card: CardSize, bleed_mm: float, fold: bool
) -> Sheet | None:
    geo = print_spec().sheet
    w, h, bleed = card.width * MM, card.height * MM, bleed_mm * MM
    gutter = 2 * bleed + geo["gutter"] * MM
    reach = bleed + (geo["mark_offset"] + geo["mark_length"]) * MM  # marks beyond the cut line
    page_w, page_h = width_mm * MM, height_mm * MM
    margin = geo["margin"] * MM
    bottom = margin + geo["scale_zone"] * MM
    area_w = page_w - 2 * margin
    fold_x = None
    if fold:
        fold_x = page_w / 2
        area_w = fold_x - margin - geo["fold_clearance"] * MM
    area_h = page_h - margin - bottom

    def count(space: float, size: float) -> int:
        n = int((space - 2 * reach + gutter) // (size + gutter))
        return max(n, 0)

    cols, rows = count(area_w, w), count(area_h, h)
    if cols == 0 or rows == 0:
        return None
    grid_w, grid_h = cols * w + (cols - 1) * gutter, rows * h + (rows - 1) * gutter
    left = margin + (area_w - grid_w) / 2 if fold else (page_w - grid_w) / 2
    base = bottom + (area_h - grid_h) / 2
    cells = tuple(
        Rect(left + c * (w + gutter), base + grid_h - (r + 1) * h - r * gutter, w, h)
        for r in range(rows)
        for c in range(cols)
    )
    marks = marks_for(cells, bleed)
    return Sheet(
        page_w, page_h, bleed, cells, marks, scale_bar=(left, margin + 1.5 * MM), fold_x=fold_x
    )


def corner_marks(cell: Rect, bleed: float) -> list[Segment]:
    """Two short lines at each corner, on the cut lines, outside the card and its bleed."""
    geo = print_spec().sheet
    start, length = bleed + geo["mark_offset"] * MM, geo["mark_length"] * MM
    marks: list[Segment] = []
    for x, sx in ((cell.x, -1), (cell.right, 1)):
        for y, sy in ((cell.y, -1), (cell.top, 1)):
            marks.append((x + sx * start, y, x + sx * (start + length), y))
            marks.append((x, y + sy * start, x, y + sy * (start + length)))
    return marks


def marks_for(cells: tuple[Rect, ...] | list[Rect], bleed: float) -> tuple[Segment, ...]:
    """The crop marks of `cells`, each stopped `mark_clearance` short of every other card's
    bleed (its trim, without bleed), so that a slightly off cut leaves no stub of a mark on
    a neighbour; a mark left shorter than a third of its length is left out."""
    return _marks_for(tuple(cells), bleed)


@lru_cache(maxsize=64)
def _marks_for(cells: tuple[Rect, ...], bleed: float) -> tuple[Segment, ...]:
    """`marks_for`, worked out once for each layout of a sheet (most sheets are alike)."""
    geo = print_spec().sheet
    clearance = (geo["mark_clearance"]) * MM
    least = geo["mark_length"] * MM / 3
    out: list[Segment] = []
    for i, cell in enumerate(cells):
        others = [c.grow(bleed + clearance) for j, c in enumerate(cells) if j != i]
        for mark in corner_marks(cell, bleed):
            clipped = _clipped(mark, others)
            if (
                clipped is not None
                and abs(clipped[2] - clipped[0]) + abs(clipped[3] - clipped[1]) >= least
            ):
                out.append(clipped)
    return tuple(out)


def _clipped(mark: Segment, boxes: list[Rect]) -> Segment | None:
    """`mark` (from its start near its own card outwards) cut where it enters a box."""
    x1, y1, x2, y2 = mark
    for box in boxes:
        if y1 == y2 and box.y < y1 < box.top:  # horizontal
            if x2 > x1 and x1 < box.right and box.x < x2:
                x2 = max(x1, box.x)
            elif x2 < x1 and box.x < x1 and x2 < box.right:
                x2 = min(x1, box.right)
        elif x1 == x2 and box.x < x1 < box.right:  # vertical
            if y2 > y1 and y1 < box.top and box.y < y2:
                y2 = max(y1, box.y)
            elif y2 < y1 and box.y < y1 and y2 < box.top:
                y2 = min(y1, box.top)
    return None if (x1, y1) == (x2, y2) else (x1, y1, x2, y2)


Extent = tuple[float, float, float, float]


def back_extents(rects: list[Rect], reach: float) -> list[Extent]:
    """How far each back's colour runs past its trim (left, bottom, right, top): see
    `_back_extents`, worked out once for each layout of a sheet."""
    return list(_back_extents(tuple(rects), reach))


@lru_cache(maxsize=64)
def _back_extents(rects: tuple[Rect, ...], reach: float) -> tuple[Extent, ...]:
    """How far each back's colour runs past its trim (left, bottom, right, top).

    `reach` where no card is near; towards a neighbour, at most half the way, so that each
    point of the gutter takes the colour of the nearest card and no colour overlaps
    another. A duplex printer that misregisters the back by less than that shows the
    card's own colour at its edge, not a white strip.
    """
    out: list[Extent] = []
    for r in rects:
        left = bottom = right = top = reach
        for n in rects:
            if n is r:
                continue
            beside = n.y < r.top and r.y < n.top
            above_below = n.x < r.right and r.x < n.right
            if beside and n.right <= r.x:
                left = min(left, (r.x - n.right) / 2)
            if beside and n.x >= r.right:
                right = min(right, (n.x - r.right) / 2)
            if above_below and n.top <= r.y:
                bottom = min(bottom, (r.y - n.top) / 2)
            if above_below and n.y >= r.top:
                top = min(top, (n.y - r.top) / 2)
        out.append((left, bottom, right, top))
    return tuple(out)


def mirror_for_fold(sheet: Sheet, rect: Rect) -> Rect:
    """Where a back goes in the fold layout: mirrored across the fold line."""
    assert sheet.fold_x is not None
    return Rect(2 * sheet.fold_x - rect.right, rect.y, rect.w, rect.h)
