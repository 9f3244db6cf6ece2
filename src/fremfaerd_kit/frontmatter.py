"""The YAML block at the top of a rendered document template: title, header, footer.

The built-in templates write each value with `tojson`, and such a block is read as the
JSON strings it is, without PyYAML. Any other block (a consultant's template may write
`title: Min dagsorden`) is read by the kit's own YAML reader, with its limits: the block is
the output of a template someone may have sent, so nesting, aliases and wrong shapes are
located errors naming the template, never a crash."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ContentError, InputError, Location, Problem


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    header: str = ""
    footer: str = ""
    page_label: str = "{page} / {pages}"
    subject: str = ""


KEYS = tuple(f.name for f in fields(FrontMatter))
_JSON_LINE = re.compile(r'([a-z_]+): ("(?:[^"\\]|\\.)*")')
"""`key: "a JSON string"`, as the built-in templates write each line."""


def split_front_matter(text: str, origin: str = "document") -> tuple[FrontMatter, str]:
    """Separate the `---` YAML block at the top of a rendered template from its body;
    `origin` (the template's file, or what the document is) names it in errors."""
    if not text.startswith("---\n"):
        return FrontMatter(), text
    end = text.find("\n---\n", 4)
    if end < 0:
        raise InputError(f"{origin}: the front matter opens with --- but never closes it")
    block = text[4:end]
    values = _json_lines(block)
    if values is None:
        values = _yaml_block(block, origin)
    # Each is one line of the page (its header, its footer) or of the PDF's metadata:
    # a line break in one, from a value with a line break in it, is a space.
    lines = {key: " ".join(value.split()) for key, value in values.items()}
    return FrontMatter(**lines), text[end + 5 :]


def _json_lines(block: str) -> dict[str, str] | None:
    """The block's values when every line is a known key with a JSON string, else None."""
    values: dict[str, str] = {}
    for line in block.splitlines():
        found = _JSON_LINE.fullmatch(line)
        if not found or found[1] not in KEYS or found[1] in values:
            return None
        try:
            values[found[1]] = json.loads(found[2])
        except ValueError:
            return None
    return values


def _yaml_block(block: str, origin: str) -> dict[str, str]:
    from .readers.yamlfile import parse_yaml

    where = f"{origin} (front matter)"
    if not block.strip():
        return {}
    source = parse_yaml(Path(where), block.encode("utf-8"))
    data = source.data
    if not isinstance(data, dict):
        raise ContentError([Problem(Location(where, 1), "expected `key: value` lines")])
    values: dict[str, str] = {}
    problems = []
    for key, value in data.items():
        if key not in KEYS:
            problems.append(
                source.problem((key,), f"unknown key `{key}`; known: {', '.join(KEYS)}")
            )
        elif isinstance(value, dict | list):
            problems.append(source.problem((key,), "expected text, not a list or mapping"))
        else:
            values[str(key)] = _text(value)
    if problems:
        raise ContentError(problems)
    return values


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Look:
    """What branding may change: accent colour, a logo in the header, a footer line."""

    accent: str = "#1F4E79"
    tint: str = "#EAF1F8"
    logo: bytes | None = None
    """PNG or JPEG bytes, read and checked by the reading gate."""
    footer: str | None = None
