"""The YAML block at the top of a rendered document template: title, header, footer."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .errors import InputError


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    header: str = ""
    footer: str = ""
    page_label: str = "{page} / {pages}"
    subject: str = ""


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Separate the `---` YAML block at the top of a rendered template from its body."""
    if not text.startswith("---\n"):
        return FrontMatter(), text
    end = text.find("\n---\n", 4)
    if end < 0:
        raise InputError("a document template opens its front matter with --- but never closes it")
    data = yaml.safe_load(text[4:end]) or {}
    try:
        return FrontMatter(**{k: str(v) for k, v in data.items()}), text[end + 5 :]
    except TypeError as exc:
        raise InputError(f"document front matter: {exc}") from None


@dataclass(frozen=True)
class Look:
    """What branding may change: accent colour, a logo in the header, a footer line."""

    accent: str = "#1F4E79"
    tint: str = "#EAF1F8"
    logo: bytes | None = None
    """PNG or JPEG bytes, read and checked by the reading gate."""
    footer: str | None = None
