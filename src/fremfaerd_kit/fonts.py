"""The embedded TrueType fonts, and which text they cannot print."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import Any, TypedDict
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import (
    TTEncoding,
    TTFNameBytes,
    TTFont,
    TTFontFace,
    unShapedFontGlob,
)

from .resources import fonts_dir

REGULAR = "KitSans"
BOLD = "KitSans-Bold"
ITALIC = "KitSans-Italic"

_FILES = {
    REGULAR: "DejaVuSansCondensed.ttf",
    BOLD: "DejaVuSansCondensed-Bold.ttf",
    ITALIC: "DejaVuSansCondensed-Oblique.ttf",
}


class _KitFont(TTFont):  # type: ignore[misc]  # ReportLab has no type hints
    """A TrueType font that encodes already-seen text in one step.

    ReportLab maps each string to the embedded subset's codes one character at a time,
    in Python; that loop was half the time of drawing 4,000 cards. Once every character
    of a string has a code in the first subset, which is the case for nearly all Danish
    text after the first card, one `str.translate` gives the same bytes. Anything new
    goes ReportLab's way, which assigns the codes.
    """

    def __init__(self, name: str, filename: str) -> None:
        # `TTFont.__init__`, with the face read once and then recalled (`_face`).
        self.fontName = name
        self.face = _face(filename)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
        self._known: WeakKeyDictionary[Any, tuple[int, frozenset[str], dict[int, int]]] = (
            WeakKeyDictionary()
        )

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        known = self._known.get(doc)
        if known is not None and isinstance(text, str) and known[1].issuperset(text):
            return [(0, text.translate(known[2]).encode("latin-1"))] if text else []
        result = super().splitString(text, doc, encoding)
        assignments = self.state[doc].assignments
        if known is None or known[0] != len(assignments):
            first = {code: n for code, n in assignments.items() if n < 256}
            self._known[doc] = (len(assignments), frozenset(map(chr, first)), first)
        return result


def _face(filename: str) -> TTFontFace:
    """ReportLab's reading of a TrueType file (a sixtieth of a second for each of the three
    faces), kept from an earlier run when there is one (a few milliseconds)."""
    from reportlab import Version

    from . import cache as kept

    key = kept.digest("font", filename, kept.stamp(Path(filename)), Version)
    state = kept.recall("fonts", key, lambda found: _could_be_face(found, filename))
    if state is not None:
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(state)
        per_em = face.unitsPerEm
        face._pdfScale = (lambda x: x) if per_em == 1000 else (lambda x: x * (1000 / per_em))
        return face
    face = TTFontFace(filename)
    state = {k: v for k, v in face.__dict__.items() if k != "_pdfScale"}  # a function
    kept.keep("fonts", key, state)
    return face


class _Face(TypedDict):
    """What ReportLab's reading of a TrueType file holds (`TTFontFace.__dict__`, its
    function `_pdfScale` aside), as it is kept between runs."""

    name: TTFNameBytes
    familyName: TTFNameBytes
    styleName: TTFNameBytes
    fullName: TTFNameBytes
    uniqueFontID: TTFNameBytes
    subfontNameX: bytes
    filename: str
    _ttf_data: bytes
    _pos: int
    _full_font: bool
    glyphNames: list[str]
    glyphWidths: dict[int, float]
    requiredEncoding: str | None
    bold: int
    italic: int
    builtIn: int
    validate: int
    version: int
    numTables: int
    searchRange: int
    entrySelector: int
    rangeShift: int
    table: dict[str, dict[str, str | int]]
    tables: list[dict[str, str | int]]
    fontRevision: tuple[int, int]
    unitsPerEm: int
    bbox: list[float]
    ascent: float
    descent: float
    capHeight: float
    italicAngle: float
    stemV: int
    underlinePosition: int
    underlineThickness: int
    flags: int
    numGlyphs: int
    charToGlyph: dict[int, int]
    glyphToChar: dict[int, list[int]]
    charWidths: dict[int, float]
    hmetrics: list[tuple[float, int]]
    defaultWidth: float
    glyphPos: list[int]


def _could_be_face(found: Any, filename: str) -> bool:
    """Whether a kept reading of `filename` is one ReportLab could have made of it: its
    types, the whole file, and glyph numbers and offsets that fit the font."""
    from .conform import conforms

    if not conforms(found, _Face):
        return False
    glyphs, data, offsets = found["numGlyphs"], found["_ttf_data"], found["glyphPos"]
    numbers = found["charToGlyph"].values()
    return (
        found["filename"] == filename
        and len(data) == Path(filename).stat().st_size
        and found["unitsPerEm"] > 0
        and len(found["bbox"]) == 4
        and len(found["hmetrics"]) == glyphs
        and len(offsets) == glyphs + 1
        and 0 <= min(offsets) <= max(offsets) <= len(data)
        and (not numbers or 0 <= min(numbers) <= max(numbers) < glyphs)
        and found["charWidths"].keys() <= found["charToGlyph"].keys()
    )


@cache
def register() -> None:
    """Register the kit's fonts with ReportLab once per process."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(_KitFont(name, str(fonts_dir() / filename)))
    # Every canvas starts in the kit's own font, not in Helvetica: a PDF that names a font
    # it does not embed fails a print shop's preflight, even when no text uses it.
    rl_config.canvas_basefontname = REGULAR


@cache
def register_family() -> None:
    """Register the fonts as one family, so `<b>` and `<i>` in paragraphs find their faces."""
    from reportlab.lib.fonts import addMapping

    register()
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)


def unprintable(text: str, font: str = REGULAR) -> str | None:
    """Why `text` cannot be printed in `font`, or None when it can.

    Characters the font has no glyph for; and right-to-left letters (Hebrew, Arabic),
    which ReportLab would set in the wrong order and, for Arabic, unjoined.
    """
    missing = missing_glyphs(text, font)
    if missing:
        return cannot_draw(missing)
    backwards = [c for c in dict.fromkeys(text) if c >= "\u0590" and right_to_left(c)]
    if backwards:
        return reversed_message(backwards)
    return None


def cannot_draw(chars: list[str]) -> str:
    """`the font cannot draw '漢' (U+6F22)`."""
    return f"the font cannot draw {_listing(chars)}"


def reversed_message(chars: list[str]) -> str:
    """Why right-to-left letters or direction controls are refused."""
    return (
        f"{_rtl_kind(chars)} ({_listing(chars)}) would print reversed; "
        "the kit sets left-to-right scripts only"
    )


def _rtl_kind(chars: list[str]) -> str:
    letters = all(unicodedata.bidirectional(c) in ("R", "AL") for c in chars)
    return "right-to-left text" if letters else "right-to-left text or direction controls"


def right_to_left(char: str) -> bool:
    """A right-to-left letter, or an invisible control that turns text round."""
    return unicodedata.bidirectional(char) in _RIGHT_TO_LEFT


_RIGHT_TO_LEFT = frozenset(
    ("R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI")
)
"""Right-to-left letters, and the invisible controls that turn text round (U+202E)."""


def _listing(chars: list[str], most: int = 5) -> str:
    shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in chars[:most])
    return shown + (", …" if len(chars) > most else "")


@cache
def drawable() -> frozenset[int]:
    """The characters every face of the kit's font has a glyph for: a text may be set in
    any of them (a heading bold, a note italic), so each must be able to draw it."""
    register()
    faces = [set(pdfmetrics.getFont(font).face.charToGlyph) for font in _FILES]
    return frozenset(set.intersection(*faces))


def missing_glyphs(text: str, font: str = REGULAR) -> list[str]:
    """The characters of `text` that `font` has no glyph for, each once, in order."""
    register()
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return [c for c in dict.fromkeys(text) if ord(c) not in glyphs and not c.isspace()]


def printable_ranges() -> list[tuple[int, int]]:
    """The code points `unprintable` lets through in every face of the kit's font, as
    inclusive ranges: what a page that takes typed text for a document may let one type."""
    ranges: list[tuple[int, int]] = []
    for point in sorted(drawable()):
        char = chr(point)
        if (
            char.isspace()
            or unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
            or (char >= "\u0590" and right_to_left(char))
        ):
            continue
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return ranges


def width(text: str, font: str, size: float) -> float:
    """Advance width of `text` in points (widths scale with size: measured once per text)."""
    return word_widths(font)[text] * size / 1000


class _Widths(dict[str, float]):
    """Widths at 1000 pt in one font, each measured the first time it is asked for."""

    def __init__(self, font: str) -> None:
        super().__init__()
        self.font = font

    def __missing__(self, text: str) -> float:
        found = self[text] = float(pdfmetrics.stringWidth(text, self.font, 1000))
        return found


_WIDTHS: dict[str, _Widths] = {}
MAX_WIDTHS = 20_000
"""Words whose widths are kept per font: a deck's everyday words many times over, yet not
every word of forty thousand cards (which would grow by 8 MB)."""


def word_widths(font: str) -> dict[str, float]:
    """Widths at 1000 pt in `font`, looked up by text (line breaking asks by the word)."""
    widths = _WIDTHS.get(font)
    if widths is None or len(widths) > MAX_WIDTHS:
        widths = _WIDTHS[font] = _Widths(font)
    return widths


def web_font(weight: str, characters: Iterable[str]) -> bytes:
    """The kit's `regular` or `bold` TrueType font cut down to `characters`, for a web page
    that carries its own fonts (a whole font is 650 kB; the page needs a few dozen kB).

    A subset made before for the same characters is recalled from the cache: cutting the
    two faces takes a seventh of a second, half of building the default kit's screen.
    """
    from importlib.util import find_spec

    from . import cache as kept

    wanted = {ord(c) for c in characters if c.isprintable() or c == " "} | {0xA0}
    path = fonts_dir() / _FILES[BOLD if weight == "bold" else REGULAR]
    tools = find_spec("fontTools")
    installed = [Path(tools.origin)] if tools and tools.origin else []
    key = kept.digest(
        "web-font", str(path), kept.stamp(path, *installed), ",".join(map(str, sorted(wanted)))
    )
    found = kept.recall("web-fonts", key, _could_be_font_file)
    if found is not None:
        return bytes(found)
    data = _cut_font(path, wanted)
    kept.keep("web-fonts", key, data)
    return data


def _could_be_font_file(found: Any) -> bool:
    """Whether a kept subset is a TrueType file as far as its table directory tells:
    the version, and every table within the file."""
    if type(found) is not bytes or found[:4] != b"\0\1\0\0" or len(found) < 12:
        return False
    tables = int.from_bytes(found[4:6], "big")
    if len(found) < 12 + 16 * tables:
        return False
    for n in range(tables):
        entry = found[12 + 16 * n : 28 + 16 * n]
        offset, length = int.from_bytes(entry[8:12], "big"), int.from_bytes(entry[12:16], "big")
        if offset + length > len(found):
            return False
    return tables > 0


def _cut_font(path: Path, wanted: set[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont as FontFile

    options = subset.Options()
    # Kerning kept; hinting (instructions for small sizes on old screens) and ligatures
    # dropped: the page's type is large, and the subset takes 0.07 s instead of 0.3 s.
    options.layout_features = ["kern"]
    options.hinting = False
    options.name_IDs = ["*"]  # keep the copyright and licence
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing to show
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    # recalcTimestamp off: the same page gives the same bytes (no "modified" of today).
    with FontFile(str(path), lazy=True, recalcTimestamp=False) as font:
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()
