"""Where the built-in content, templates and fonts are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries `content/` and `templates/` inside the package; an editable
    # install or a plain checkout has them at the repository root.
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the built-in `{name}` folder is missing from {_PACKAGE}")


def content_dir() -> Path:
    """The built-in content library."""
    return _data_dir("content")


def templates_dir() -> Path:
    """The built-in Jinja templates."""
    return _data_dir("templates")


def fonts_dir() -> Path:
    """The fonts embedded in every PDF."""
    return _PACKAGE / "fonts"
