"""Colour arithmetic for print: WCAG contrast, greyscale lightness, readable text colour."""

from __future__ import annotations

from functools import cache

DARK_TEXT = "#1A1A1A"
LIGHT_TEXT = "#FFFFFF"
MIN_CONTRAST = 4.5


def rgb(colour: str) -> tuple[float, float, float]:
    """`#RRGGBB` as three floats in 0..1."""
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


@cache
def luminance(colour: str) -> float:
    """WCAG relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1..21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """The text colour (near-black or white) with the higher contrast on `background`."""
    dark, light = contrast(background, DARK_TEXT), contrast(background, LIGHT_TEXT)
    return DARK_TEXT if dark >= light else LIGHT_TEXT


def lightness(colour: str) -> float:
    """CIE L* (0..100): how light the colour prints in greyscale."""
    y = luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def tint(colour: str, amount: float = 0.88) -> str:
    """`colour` mixed with white (`amount` of white), for a light background of that hue."""
    r, g, b = rgb(colour)
    mixed = (round(255 * (c + (1 - c) * amount)) for c in (r, g, b))
    return "#" + "".join(f"{v:02X}" for v in mixed)
