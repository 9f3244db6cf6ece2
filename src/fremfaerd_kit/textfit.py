"""Fit text into a box: greedy line breaking over runs of fonts, shrinking to a floor size.

Plain canvas text measured with `stringWidth`: ReportLab's Paragraph flowables would do
the same here at 1.4–1.7 times the cost, and cards are drawn by the thousand.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple, TypedDict

from reportlab.pdfbase import pdfmetrics

from .fonts import word_widths


class Run(NamedTuple):
    """A stretch of text in one font."""

    text: str
    font: str


class Segment(NamedTuple):
    """Words of one font on one line, drawn with one call at `x` (offset from the line start)."""

    text: str
    font: str
    x: float


Line = tuple[Segment, ...]


class Paragraph(NamedTuple):
    """A paragraph laid out at one size."""

    lines: tuple[Line, ...]
    size: float
    leading: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * self.leading


LOOSE = 0.4
"""A line that would end with more than this share of its width empty hyphenates the next
word at a Danish hyphenation point, if one fits: long compounds are Danish's everyday."""


@lru_cache(maxsize=65536)
def hyphenation_points(word: str) -> tuple[int, ...]:
    """Where `word` may break: pyphen's Danish patterns, at least 3 letters each side.
    Only compounds of 10 letters or more; a word with a hyphen of its own is not broken."""
    if len(word) < 10 or "-" in word or not word.isalpha():
        return ()
    return tuple(_danish().positions(word))


class _Patterns(TypedDict):
    """pyphen's parsed patterns (`HyphDict`), as kept between runs."""

    patterns: dict[str, tuple[int, tuple[int, ...]]]
    maxlen: int


@lru_cache(maxsize=1)
def _danish() -> Any:
    """pyphen's Danish hyphenation, its patterns kept parsed between runs (parsing the
    dictionary costs more than laying out a deck of cards)."""
    import pyphen  # only when a word needs breaking

    from . import cache as kept
    from .conform import conforms

    path = pyphen.LANGUAGES[pyphen.language_fallback("da_DK")]
    key = kept.digest("hyphenation", str(path), path.read_bytes(), pyphen.__version__)
    state = kept.recall("hyphenation", key, lambda found: conforms(found, _Patterns))
    if state is not None:
        patterns = pyphen.HyphDict.__new__(pyphen.HyphDict)
        patterns.__dict__.update(state, cache={})
        pyphen.hdcache[path] = patterns
    hyphenation = pyphen.Pyphen(lang="da_DK", left=3, right=3)
    if state is None:
        parsed = hyphenation.hd
        kept.keep("hyphenation", key, {"patterns": parsed.patterns, "maxlen": parsed.maxlen})
    return hyphenation


def _split(word: str, room: float, widths: dict[str, float]) -> tuple[str, str] | None:
    """The longest head of `word`, with its hyphen, no wider than `room`, and the rest."""
    core = word.rstrip(".,;:!?)»”\"'")
    tail = word[len(core) :]
    for point in reversed(hyphenation_points(core)):
        head = core[:point] + "-"
        if widths[head] <= room:
            return head, core[point:] + tail
    return None


def wrap(runs: list[Run], size: float, max_width: float, leading: float) -> Paragraph | None:
    """Break `runs` into lines no wider than `max_width`, hyphenating a long word where the
    line would otherwise be left loose; None if a word cannot be made to fit.

    Words of one font next to each other on a line become one segment, drawn in one go.
    Widths are summed at 1000 pt and scaled once: cards are wrapped by the thousand.
    """
    scale = size / 1000
    limit = max_width / scale
    lines: list[Line] = []
    done: list[Segment] = []  # the current line's finished segments
    words: list[str] = []  # the words of its open segment
    open_font, open_x, cursor = "", 0.0, 0.0
    for run in runs:
        font = run.font
        widths = word_widths(font)
        space = widths[" "]
        pending = run.text.split()
        pending.reverse()
        while pending:
            word = pending.pop()
            word_width = widths[word]
            at_start = not words and not done
            x = 0.0 if at_start else cursor + space
            broke = False
            if x + word_width > limit:
                room = limit - x
                split = _split(word, room, widths) if at_start or room > LOOSE * limit else None
                if split is not None:
                    word, rest = split
                    word_width = widths[word]
                    pending.append(rest)
                    broke = True
                elif at_start:
                    return None  # wider than the line, with no point to break it at
                else:
                    done.append(Segment(" ".join(words), open_font, open_x * scale))
                    lines.append(tuple(done))
                    done, words = [], []
                    pending.append(word)
                    continue
            if words and font != open_font:
                done.append(Segment(" ".join(words), open_font, open_x * scale))
                words = []
            if not words:
                open_font, open_x = font, x
            words.append(word)
            cursor = x + word_width
            if broke:  # the rest of the word starts the next line
                done.append(Segment(" ".join(words), open_font, open_x * scale))
                lines.append(tuple(done))
                done, words = [], []
    if words:
        done.append(Segment(" ".join(words), open_font, open_x * scale))
        lines.append(tuple(done))
    return Paragraph(tuple(lines), size, leading)


class Fitted(NamedTuple):
    """Paragraphs that fit their box, top to bottom, with the gaps between them."""

    paragraphs: tuple[Paragraph, ...]
    gap: float

    @property
    def height(self) -> float:
        return sum(p.height for p in self.paragraphs) + self.gap * (len(self.paragraphs) - 1)


def fit(
    blocks: list[tuple[list[Run], float]],
    box_width: float,
    box_height: float,
    *,
    floor: float,
    leading: float,
    gap: float,
    step: float = 0.25,
) -> Fitted | None:
    """The largest common scale at which every block (runs, start size) fits the box.

    Each block shrinks in proportion from its start size, in `step` pt, to no less than
    `floor`; None when the text does not fit even at the floor.
    """
    largest = max(size for _, size in blocks)
    steps = max(0, round((largest - floor) / step))
    candidates = [largest - i * step for i in range(steps + 1)]

    def attempt(top: float) -> Fitted | None:
        scale = top / largest
        paragraphs = []
        for runs, size in blocks:
            paragraph = wrap(runs, max(floor, size * scale), box_width, leading)
            if paragraph is None:
                return None
            paragraphs.append(paragraph)
        fitted = Fitted(tuple(paragraphs), gap)
        return fitted if fitted.height <= box_height else None

    # Most cards fit at their full size: try that first.
    first = attempt(candidates[0])
    if first is not None:
        return first
    # Larger text never takes less room, so the first size that fits can be bisected for.
    low, high, best = 1, len(candidates) - 1, None
    while low <= high:
        mid = (low + high) // 2
        result = attempt(candidates[mid])
        if result is not None:
            best, high = result, mid - 1
        else:
            low = mid + 1
    return best


@lru_cache(maxsize=256)
def ascent_descent(font: str, size: float) -> tuple[float, float]:
    """The font's ascent (positive) and descent (negative) at `size`, in points."""
    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    return float(ascent), float(descent)
