"""The embedded TrueType fonts, and which characters they cannot draw."""

from __future__ import annotations

from functools import cache, lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .resources import fonts_dir

REGULAR = "KitSans"
BOLD = "KitSans-Bold"
ITALIC = "KitSans-Italic"

_FILES = {
    REGULAR: "DejaVuSansCondensed.ttf",
    BOLD: "DejaVuSansCondensed-Bold.ttf",
    ITALIC: "DejaVuSansCondensed-Oblique.ttf",
}


@cache
def register() -> None:
    """Register the kit's fonts with ReportLab once per process."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / filename)))


@cache
def register_family() -> None:
    """Register the fonts as one family, so `<b>` and `<i>` in paragraphs find their faces."""
    from reportlab.lib.fonts import addMapping

    register()
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)


@cache
def _coverage(font: str) -> frozenset[int]:
    register()
    face = pdfmetrics.getFont(font).face
    return frozenset(face.charToGlyph)


def missing_glyphs(text: str, font: str = REGULAR) -> list[str]:
    """The characters of `text` that `font` has no glyph for, each once, in order."""
    covered = _coverage(font)
    missing: list[str] = []
    for char in text:
        if ord(char) not in covered and not char.isspace() and char not in missing:
            missing.append(char)
    return missing


def width(text: str, font: str, size: float) -> float:
    """Advance width of `text` in points (widths scale with size: measured once per word)."""
    return _width_at_1000(text, font) * size / 1000


@lru_cache(maxsize=1 << 16)
def _width_at_1000(text: str, font: str) -> float:
    return float(pdfmetrics.stringWidth(text, font, 1000))
