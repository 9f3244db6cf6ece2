"""Paper sizes, card presets and sheet geometry, read from `templates/print/sheets.yaml`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from .conform import conforms
from .errors import InputError
from .resources import templates_dir

MM = 72 / 25.4
"""Points per millimetre."""


@dataclass(frozen=True)
class Paper:
    id: str
    name: str
    width: float
    height: float
    cups_media: str


@dataclass(frozen=True)
class CardSize:
    name: str
    width: float
    height: float
    question_pt: float
    example_pt: float


@dataclass(frozen=True)
class PrintSpec:
    """Everything `sheets.yaml` says, typed."""

    papers: dict[str, Paper]
    cards: dict[str, CardSize]
    reference_width: float
    min_pt: float
    sheet: dict[str, float]
    card: dict[str, Any]


def _settings(name: str, expect: Callable[[Any], bool]) -> Any:
    """One of the kit's print-settings files, as data (kept parsed between runs: reading
    YAML costs more than the rest of a settings lookup; kept data is used if `expect`
    says it is what the caller can use)."""
    from . import cache as kept

    path = templates_dir() / "print" / name
    raw = path.read_bytes()
    key = kept.digest("settings", str(path), raw)
    data = kept.recall("settings", key, expect)
    if data is None:
        import yaml

        data = yaml.safe_load(raw.decode("utf-8"))
        kept.keep("settings", key, data)
    return data


def _spec(data: Any) -> PrintSpec:
    return PrintSpec(
        papers={k: Paper(id=k, **v) for k, v in data["papers"].items()},
        cards={k: CardSize(name=k, **v) for k, v in data["cards"].items()},
        reference_width=float(data["custom_reference_width"]),
        min_pt=float(data["min_pt"]),
        sheet={k: float(v) for k, v in data["sheet"].items()},
        card=data["card"],
    )


def _is_spec(data: Any) -> bool:
    """Whether kept data makes print settings of the declared types (a shape `_spec`
    cannot read raises, which the cache counts as a miss too)."""
    spec = _spec(data)
    return conforms(spec, PrintSpec) and conforms(spec.card, dict[str, float | str])


@cache
def print_spec() -> PrintSpec:
    """The print geometry of the kit."""
    return _spec(_settings("sheets.yaml", _is_spec))


@cache
def labels() -> dict[str, str]:
    """The kit's own printed words (Danish) for card sheets."""
    return dict(_settings("labels.yaml", lambda found: conforms(found, dict[str, str])))


def paper(name: str) -> Paper:
    """A paper by id (`a4`, `letter`), case-insensitive."""
    papers = print_spec().papers
    key = name.lower()
    if key not in papers:
        raise InputError(f"--paper: unknown paper `{name}` (known: {', '.join(papers)})")
    return papers[key]


_CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*$")


def card_size(name: str) -> CardSize:
    """A card preset (`poker`, `a7`, `a6`) or a custom size `WxH` in millimetres."""
    spec = print_spec()
    key = name.lower()
    if key in spec.cards:
        return spec.cards[key]
    match = _CUSTOM.match(name)
    if not match:
        raise InputError(
            f"--size: `{name}` is neither a preset ({', '.join(spec.cards)}) "
            "nor a size like `70x100` (mm)"
        )
    width, height = float(match.group(1)), float(match.group(2))
    if not (20 <= width <= 300 and 20 <= height <= 300):
        raise InputError(f"--size: {name} mm is outside 20..300 mm")
    scale = width / spec.reference_width
    poker = spec.cards["poker"]
    return CardSize(
        name=f"{width:g}x{height:g}",
        width=width,
        height=height,
        question_pt=max(spec.min_pt, poker.question_pt * scale),
        example_pt=max(spec.min_pt, poker.example_pt * scale),
    )
