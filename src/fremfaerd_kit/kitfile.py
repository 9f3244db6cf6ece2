"""The kit file: one YAML file that describes a whole workshop kit.

Validated like the content (every error with file, line and field). Paths in it are
resolved inside the kit file's folder: a kit file received from someone else cannot make
the kit read files elsewhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator

from .errors import ContentError, Problem
from .model import Colour, Id, Minutes, Model, Text
from .yamlsource import SourceFile, load_yaml

Clock = Annotated[str | int, Field(description='start time, "HH:MM" (quote it)')]


class DeckChoice(Model):
    """A deck in the kit, optionally filtered."""

    id: Id
    categories: list[Id] = Field(default_factory=list, description="only these categories")
    only: list[Id] = Field(default_factory=list, description="only these cards")


class Branding(Model):
    logo: Text | None = Field(None, description="an image file beside the kit file")
    accent: Colour | None = Field(None, description="colour of headings and rules, `#RRGGBB`")
    footer: Text | None = Field(None, description="a line printed at the foot of every page")


class KitFile(Model):
    """What `kit build mykit.yaml` makes."""

    kind: Literal["kit"]
    title: Text | None = Field(None, description="the kit's title; default: the meeting's")
    organisation: Text | None = None
    workplace: Text | None = None
    technology: Text | None = None
    date: Annotated[dt.date | None, Field(strict=False, description="YYYY-MM-DD")] = None
    start: Clock | None = None
    minutes: Minutes | None = None
    participants: Annotated[int, Field(ge=1, le=500)] = 12
    groups: Annotated[int, Field(ge=1, le=30)] = 3
    tool: Id = "vaerktoej2"
    decks: list[DeckChoice] = Field(default_factory=lambda: [DeckChoice(id="dialogkort")])
    handouts: list[Id] = Field(default_factory=list)
    paper: Literal["a4", "letter"] = "a4"
    card_size: Text = "poker"
    duplex: Literal["long", "short"] = "long"
    branding: Branding = Branding()
    content: list[Text] = Field(
        default_factory=list, description="folders of your own content, beside the file"
    )
    templates: Text | None = Field(None, description="a folder of template overrides")
    variables: dict[Id, Text] = Field(
        default_factory=dict, description="more variables for the templates"
    )

    @field_validator("start")
    @classmethod
    def _clock(cls, value: str | int | None) -> str | int | None:
        if value is None:
            return None
        if isinstance(value, int):
            # YAML 1.1 reads an unquoted 13:00 as the number 780 (minutes past midnight).
            if not 0 <= value < 24 * 60:
                shown = f"{value // 60}:{value % 60:02d}"
                raise ValueError(f'`{shown}` is not a time; write it as "13:00"')
            return f"{value // 60:02d}:{value % 60:02d}"
        try:
            dt.time.fromisoformat(value)
        except ValueError:
            raise ValueError(f'`{value}` is not a time; write it as "13:00"') from None
        return value

    @property
    def start_time(self) -> dt.time | None:
        return dt.time.fromisoformat(str(self.start)) if self.start is not None else None

    def variables_for_templates(self) -> dict[str, str]:
        """`teknologi`, `arbejdsplads`, `kommune` and the kit's own variables."""
        found = {
            "teknologi": self.technology,
            "arbejdsplads": self.workplace,
            "kommune": self.organisation,
            "titel": self.title,
        }
        return {k: v for k, v in found.items() if v} | dict(self.variables)


class Kit:
    """A validated kit file with its paths resolved inside its folder."""

    def __init__(self, spec: KitFile, folder: Path, source: SourceFile | None = None) -> None:
        self.spec = spec
        self.folder = folder.resolve()
        self.source = source

    def path(self, text: str, key: tuple[str | int, ...]) -> Path:
        """`text` as a path inside the kit's folder; `ContentError` at `key` otherwise."""
        target = (self.folder / text).resolve()
        if not target.is_relative_to(self.folder):
            raise self._error(key, f"`{text}` is outside the kit file's folder {self.folder}")
        if not target.exists():
            raise self._error(key, f"`{text}` does not exist in {self.folder}")
        return target

    def content_folders(self) -> list[Path]:
        return [self.path(p, ("content", i)) for i, p in enumerate(self.spec.content)]

    def templates_folder(self) -> Path | None:
        t = self.spec.templates
        return self.path(t, ("templates",)) if t else None

    def logo(self) -> Path | None:
        logo = self.spec.branding.logo
        if logo is None:
            return None
        path = self.path(logo, ("branding", "logo"))
        try:
            from reportlab.lib.utils import ImageReader

            ImageReader(str(path)).getSize()
        except Exception:  # ReportLab raises many kinds for a bad image
            raise self._error(
                ("branding", "logo"), f"`{logo}` is not an image ReportLab can read (PNG or JPEG)"
            ) from None
        return path

    def _error(self, key: tuple[str | int, ...], message: str) -> ContentError:
        if self.source is not None:
            return ContentError([self.source.problem(key, message)])
        from .errors import Location

        return ContentError([Problem(Location("kit", path=".".join(map(str, key))), message)])


def load_kit(path: Path) -> Kit:
    """Read and validate a kit file; raise `ContentError` with every problem."""
    from .library import translate_errors

    source = load_yaml(path)
    if not isinstance(source.data, dict):
        raise ContentError([source.problem((), "expected a mapping with `kind: kit` at the top")])
    try:
        spec = KitFile.model_validate(source.data)
    except ValidationError as exc:
        raise ContentError(translate_errors(source, KitFile, exc)) from None
    return Kit(spec, path.parent, source)


def default_kit(folder: Path | None = None) -> Kit:
    """The default kit: Værktøj 2 with the dialogue cards."""
    return Kit(KitFile(kind="kit"), folder or Path.cwd())
