"""fremfaerd-kit: printable workshop kits from Fremfærd's Danish dialogue tools.

The API for scripting, importable without the command line::

    from fremfaerd_kit import load_library, load_kit, build_kit, fit
    library = load_library()
    schedule = fit(library.tool("vaerktoej2"), 90)
    build_kit(load_kit(Path("mykit.yaml")), Path("out"))

Names are imported on first use, so `import fremfaerd_kit` stays cheap.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # not `typing`'s: `kit` imports this first, and `typing` takes time
if TYPE_CHECKING:
    from typing import Any

    from .agenda import agenda_ics, agenda_markdown, agenda_pdf, render_agenda
    from .build import build_kit, plan_kit, zip_bytes
    from .cards import CardOptions, render_cards
    from .documents import guide_markdown, handout_markdown, pdf, worksheet_markdown
    from .errors import ContentError, InputError, KitError
    from .kitfile import Kit, KitFile, default_kit, load_kit
    from .library import Library, load_library
    from .schedule import Schedule, fit

_WHERE = {
    "agenda_ics": "agenda",
    "agenda_markdown": "agenda",
    "agenda_pdf": "agenda",
    "render_agenda": "agenda",
    "build_kit": "build",
    "plan_kit": "build",
    "zip_bytes": "build",
    "CardOptions": "cards",
    "render_cards": "cards",
    "guide_markdown": "documents",
    "handout_markdown": "documents",
    "worksheet_markdown": "documents",
    "pdf": "documents",
    "ContentError": "errors",
    "InputError": "errors",
    "KitError": "errors",
    "Kit": "kitfile",
    "KitFile": "kitfile",
    "default_kit": "kitfile",
    "load_kit": "kitfile",
    "Library": "library",
    "load_library": "library",
    "Schedule": "schedule",
    "fit": "schedule",
}
__all__ = [
    "CardOptions",
    "ContentError",
    "InputError",
    "Kit",
    "KitError",
    "KitFile",
    "Library",
    "Schedule",
    "agenda_ics",
    "agenda_markdown",
    "agenda_pdf",
    "build_kit",
    "default_kit",
    "fit",
    "guide_markdown",
    "handout_markdown",
    "load_kit",
    "load_library",
    "pdf",
    "plan_kit",
    "render_agenda",
    "render_cards",
    "worksheet_markdown",
    "zip_bytes",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
