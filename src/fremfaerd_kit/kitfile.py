"""The kit file: one YAML file that describes a whole workshop kit.

Validated like the content (every error with file, line and field). Paths in it are
resolved inside the kit file's folder: a kit file received from someone else cannot make
the kit read files elsewhere.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import struct
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from .decks import Selection
from .errors import ContentError, InputError, Location, Problem
from .intake import IMAGE_LIMIT, read_bytes, resolve_inside
from .library import Library, load_library, translate_errors, unknown_id, validator
from .model import MAX_CARDS, After, Colour, Flag, Id, Minutes, Model, Rule, Text, doc, frozen
from .presets import card_size
from .readers.csvdeck import CREDIT
from .readers.source import KeyPath, SourceFile
from .resources import templates_dir
from .schedule import fit

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage


def _clock(value: str | int) -> str:
    if isinstance(value, int):
        # YAML 1.1 reads an unquoted 13:00 as the number 780 (minutes past midnight).
        if not 0 <= value < 24 * 60:
            shown = f"{value // 60}:{value % 60:02d}" if value > 0 else str(value)
            raise ValueError(f'`{shown}` is not a time; write it as "13:00"')
        return f"{value // 60:02d}:{value % 60:02d}"
    try:
        clock = dt.time.fromisoformat(value)
    except ValueError:
        raise ValueError(f'`{value}` is not a time; write it as "13:00"') from None
    if clock.tzinfo is not None:
        raise ValueError(
            f'`{value}` has a time zone; write the local time in Denmark, like "13:00"'
        )
    return value


MAX_NAME = 200
"""Characters of a kit's title, organisation, workplace, technology and footer line: each
heads documents, slides or a page's foot, or fills one line of a worksheet (a real one
has 10 to 60)."""
NAMES = {
    "titel": "title",
    "kommune": "organisation",
    "arbejdsplads": "workplace",
    "teknologi": "technology",
}
"""The variables that the kit file's names fill in, and the key of each."""


def _one_line(value: str) -> str:
    if any(c in value for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        raise ValueError("is one line of text: write it without line breaks")
    return value


Name = Annotated[str, Rule("str", min_length=1, max_length=MAX_NAME), After(_one_line)]
"""A name that heads documents: one line of at most `MAX_NAME` characters."""


def name_problem(value: str) -> str | None:
    """Why `value` cannot be one of the kit's names (a variable `titel`, `--set
    teknologi=…`), or None: the same rule as a kit file's `title` and `technology`."""
    if len(value) > MAX_NAME:
        return f"is longer than {MAX_NAME:,} characters"
    try:
        _one_line(value)
    except ValueError as exc:
        return str(exc)
    return None


Clock = Annotated[Annotated[str, Rule("str")] | Annotated[int, Rule("int")], After(_clock)]
"""A start time, "HH:MM" (quote it); YAML's reading of an unquoted 13:00 is taken too."""
Day = Annotated[dt.date, Rule("date", strict=False)]
"""A date, YYYY-MM-DD (YAML reads it as a date; quoted, it is parsed)."""


@frozen
class DeckChoice(Model):
    """A deck in the kit, optionally filtered."""

    id: Id
    categories: list[Id] = field(
        default_factory=list, metadata=doc("only these categories", max_length=1000)
    )
    only: list[Id] = field(
        default_factory=list, metadata=doc("only these cards", max_length=MAX_CARDS)
    )
    instructions: Flag = field(
        default=True, metadata=doc("the deck's guidance as cards ahead of it")
    )
    warmup: Flag = field(default=True, metadata=doc("the deck's warm-up topics as cards"))
    title: Text | None = field(
        default=None,
        metadata=doc("a title for a deck from a spreadsheet (default: the workbook's own)"),
    )

    @property
    def selection(self) -> Selection:
        """The kit file's choice as the one selection every view of the deck shows."""
        return Selection(tuple(self.categories), tuple(self.only), self.instructions, self.warmup)


@frozen
class Branding(Model):
    logo: Text | None = field(default=None, metadata=doc("an image file beside the kit file"))
    accent: Colour | None = field(
        default=None, metadata=doc("colour of headings and rules, `#RRGGBB`")
    )
    footer: Name | None = field(
        default=None, metadata=doc("a line printed at the foot of every page")
    )


def _default_decks() -> list[DeckChoice]:
    return [DeckChoice(id="dialogkort")]


@frozen
class KitFile(Model):
    """What `kit build mykit.yaml` makes."""

    kind: Literal["kit"]
    title: Name | None = field(
        default=None, metadata=doc("the kit's title; default: the meeting's")
    )
    organisation: Name | None = None
    workplace: Name | None = None
    technology: Name | None = None
    date: Day | None = field(default=None, metadata=doc("YYYY-MM-DD"))
    start: Clock | None = field(default=None, metadata=doc('start time, "HH:MM" (quote it)'))
    minutes: Minutes | None = None
    participants: Annotated[int, Rule("int", ge=1, le=500)] = 12
    groups: Annotated[int, Rule("int", ge=1, le=30)] = 3
    tool: Id = "vaerktoej2"
    decks: list[DeckChoice] = field(
        default_factory=_default_decks, metadata=doc("decks to print", max_length=20)
    )
    handouts: list[Id] = field(default_factory=list, metadata=doc("handouts", max_length=50))
    slides: list[Id] = field(
        default_factory=list,
        metadata=doc(
            "slides to make: the kit's tool (its workshop) and decks, by id", max_length=20
        ),
    )
    formats: list[Literal["pdf", "docx"]] = field(
        default_factory=lambda: ["pdf"],
        metadata=doc(
            "pdf always; docx adds Word files of the guide, agendas, worksheets, "
            "handouts and the invitation",
            max_length=2,
        ),
    )
    paper: Literal["a4", "letter"] = "a4"
    card_size: Text = "poker"
    duplex: Literal["long", "short"] = "long"
    branding: Branding = Branding()
    content: list[Text] = field(
        default_factory=list,
        metadata=doc("folders of your own content, beside the file", max_length=20),
    )
    templates: Text | None = field(default=None, metadata=doc("a folder of template overrides"))
    variables: dict[Id, Text] = field(
        default_factory=dict,
        metadata=doc("more variables for the templates", max_length=100),
    )

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
        self._logo: bytes | None = None

    def path(self, text: str, key: KeyPath) -> Path:
        """`text` as a path inside the kit's folder; `ContentError` at `key` otherwise."""
        if "\0" in text:
            raise self._error(key, "contains a NUL byte, which no file name can hold")
        written = Path(os.path.normpath(self.folder / text))
        if not written.is_relative_to(self.folder):
            raise self._error(key, f"`{text}` is outside the kit file's folder {self.folder}")
        try:
            return resolve_inside(_as_saved(self.folder, text), self.folder, text)
        except ContentError as exc:
            message = exc.problems[0].message
            if message == "no such file":
                message = f"`{text}` does not exist in {self.folder}"
            elif "leads outside" in message:
                message = f"`{text}` is outside the kit file's folder {self.folder}"
            else:
                message = f"`{text}` {message}"
            raise self._error(key, message) from None

    def content_folders(self) -> list[Path]:
        """The kit's own content folders (or files)."""
        return [self.path(p, ("content", i)) for i, p in enumerate(self.spec.content)]

    def templates_folder(self) -> Path | None:
        """The folder of template overrides, each named like a built-in template."""
        t = self.spec.templates
        if not t:
            return None
        folder = self.path(t, ("templates",))
        if not folder.is_dir():
            raise self._error(("templates",), f"`{t}` is not a folder")
        known = builtin_templates()
        for file in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
            name = file.relative_to(folder).as_posix()
            if name not in known:
                hint = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
                raise self._error(
                    ("templates",),
                    f"`{t}/{name}` overrides no template"
                    + (f"; did you mean `{t}/{hint[0]}`?" if hint else "")
                    + " (overrides have the name of a file in templates/, e.g. "
                    "documents/guide.md.j2)",
                )
        return folder

    def logo(self) -> bytes | None:
        """The logo's bytes, read through the reading gate and checked to be an image."""
        logo = self.spec.branding.logo
        if logo is None:
            return None
        if self._logo is None:
            key = ("branding", "logo")
            path = self.path(logo, key)
            try:
                data = read_bytes(path, limit=IMAGE_LIMIT, inside=self.folder, what="logo")
            except ContentError as exc:
                raise self._error(key, f"`{logo}` {exc.problems[0].message}") from None
            try:
                self._logo = fit_logo(data)
            except LogoError as exc:
                raise self._error(key, f"`{logo}` {exc}") from None
        return self._logo

    def problems(self, library: Library) -> list[Problem]:
        """Every reference in the kit file that the library or the folder cannot satisfy."""
        problems: list[Problem] = []
        for check in (self.templates_folder, self.logo):
            try:
                check()
            except ContentError as exc:
                problems.extend(exc.problems)
        problems.extend(self._reference_problems(library))
        for variable, value in self.spec.variables.items():
            why = name_problem(value) if variable in NAMES else None
            if why:
                problems.append(
                    self._problem(("variables", variable), f"{why} (like `{NAMES[variable]}`)")
                )
        return problems

    def _reference_problems(self, library: Library) -> Iterator[Problem]:
        spec = self.spec
        at = self._problem
        if spec.tool not in library.tools:
            yield at(("tool",), unknown_id("tool", spec.tool, library.tools))
        else:
            try:
                fit(library.tools[spec.tool], spec.minutes, start=spec.start_time, day=spec.date)
            except InputError as exc:
                where = "date" if "the date" in str(exc) else "minutes" if spec.minutes else "tool"
                yield at((where,), str(exc))
        seen: set[str] = set()
        for i, choice in enumerate(spec.decks):
            if choice.id in seen:
                yield at(("decks", i, "id"), f"deck `{choice.id}` is already in the kit")
                continue
            seen.add(choice.id)
            if choice.id not in library.decks:
                yield at(("decks", i, "id"), unknown_id("deck", choice.id, library.decks))
                continue
            deck = library.decks[choice.id]
            categories = [c.id for c in deck.categories]
            for j, category in enumerate(choice.categories):
                if category not in categories:
                    yield at(
                        ("decks", i, "categories", j), unknown_id("category", category, categories)
                    )
            cards = [c.id for c in deck.cards]
            for j, card in enumerate(choice.only):
                if card not in cards:
                    yield at(("decks", i, "only", j), unknown_id("card", card, cards))
            if choice.title is not None and deck.source.publication != CREDIT:
                yield at(("decks", i, "title"), f"deck `{deck.id}` has its own title (the "
                         "kit file titles only a deck from a spreadsheet)")  # fmt: skip
        for i, handout in enumerate(spec.handouts):
            if handout in spec.handouts[:i]:
                yield at(("handouts", i), f"handout `{handout}` is already in the kit")
            elif handout not in library.handouts:
                yield at(("handouts", i), unknown_id("handout", handout, library.handouts))
        for i, item in enumerate(spec.slides):
            known = [spec.tool, *library.decks]
            if item in spec.slides[:i]:
                yield at(("slides", i), f"`{item}` is already in the kit's slides")
            elif item not in known:
                yield at(("slides", i), unknown_id("tool or deck", item, known))
            elif item in library.decks:
                from .documents import MAX_SLIDES

                deck = library.decks[item]
                count = len(deck.slides or deck.cards)
                if count > MAX_SLIDES:
                    yield at(("slides", i), f"deck `{item}` would be {count:,} slides; slides "
                             f"are made for decks of at most {MAX_SLIDES:,} cards")  # fmt: skip
        try:
            card_size(spec.card_size)
        except InputError as exc:
            yield at(("card_size",), str(exc).removeprefix("--size: "))

    def _problem(self, key: KeyPath, message: str) -> Problem:
        if self.source is not None:
            return self.source.problem(key, message)
        return Problem(Location("kit", path=".".join(map(str, key))), message)

    def _error(self, key: KeyPath, message: str) -> ContentError:
        return ContentError([self._problem(key, message)])


def _as_saved(folder: Path, text: str) -> Path:
    """`folder / text`, where a part of it that is not there as written is looked up by its
    composed form (NFC): the kit file's text is read composed, while a file system that
    keeps names as bytes (Linux) may hold the name decomposed, as macOS writes it."""
    path = folder / text
    if path.exists() or path.is_symlink():
        return path
    current = folder
    for part in Path(text).parts:
        step = current / part
        if not (step.exists() or step.is_symlink()):
            wanted = unicodedata.normalize("NFC", part)
            try:
                names = [entry.name for entry in current.iterdir()]
            except OSError:
                return path
            match = next((n for n in names if unicodedata.normalize("NFC", n) == wanted), None)
            if match is None:
                return path
            step = current / match
        current = step
    return current


def builtin_templates() -> list[str]:
    """The names of the built-in templates a kit may override (`documents/guide.md.j2`)."""
    root = templates_dir()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.j2"))


MAX_PIXELS = 16_000_000
"""A logo is a few hundred pixels wide; a huge one would take gigabytes to decode."""
MAX_ASPECT = 20
"""How many times wider than tall (or taller than wide) a logo may be: the PDF's header
gives it 40 × 5 mm, so a longer strip would print as a hairline."""
LOGO_PIXELS = 1200
"""A logo prints at most 40 mm wide: 1,200 pixels is 760 dpi there, more than any printer."""
EXIF_ORIENTATION = 0x0112
"""The EXIF tag that says which way up a photo goes (a phone stores it as the sensor saw)."""
LOGO_DPI = 300
"""The resolution written into the logo, which Word reads for its natural size."""


class LogoError(Exception):
    """Why a file cannot be a logo: said after the file's name."""


def fit_logo(data: bytes) -> bytes:
    """The one image every output prints for the logo `data` (PDF, Word, slides, HTML).

    A logo someone sends is a PNG or JPEG of any kind: CMYK, a palette, 16-bit grey, a
    phone photo whose EXIF says to turn it, a resolution chunk of 0 or 4 billion dots per
    metre, damaged pixel data, GPS coordinates. Each typesetter would meet those on its
    own (python-docx divides by the resolution, ReportLab decodes the pixels only as it
    draws, no HTML reader turns a photo by its EXIF). So the logo is made clean once: the
    whole image decoded (a damaged one is a `LogoError`), turned upright, converted to
    sRGB (through its colour profile where it has one), with transparency only where it
    has any, scaled down to `LOGO_PIXELS` on its longer side, and written afresh without
    any of its metadata (EXIF, GPS, colour profile, text, resolution) at `LOGO_DPI`: as
    PNG, or as JPEG for a photograph when that is less than half the size.
    """
    if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        raise LogoError("is not an image the kit can print (PNG or JPEG)")
    from PIL import Image

    damaged = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)
    """What Pillow raises for a damaged file: a truncated stream, a bad chunk or CRC,
    broken compressed data (UnidentifiedImageError is an OSError)."""
    try:
        with warnings.catch_warnings():
            # Pillow warns of 90 million pixels (16 million are refused below) and of
            # damaged chunks (a damaged image is refused): no warning reaches the terminal.
            warnings.simplefilter("ignore")
            clean, kind = _decoded(data)
    except LogoError:
        raise
    except Image.DecompressionBombError:
        raise LogoError(
            f"has more pixels than a logo may have ({MAX_PIXELS // 1_000_000} million)"
        ) from None
    except damaged as exc:
        why = str(exc).strip().splitlines()[0][:100] if str(exc).strip() else type(exc).__name__
        raise LogoError(f"is a damaged image ({why}); save it again as PNG or JPEG") from None
    clean.info = {}  # nothing of the file's metadata is written again
    png = io.BytesIO()
    clean.save(png, "PNG", dpi=(LOGO_DPI, LOGO_DPI), compress_level=6)
    if kind in ("JPEG", "MPO") and clean.mode == "RGB":  # MPO: a phone's JPEG with a preview
        jpeg = io.BytesIO()
        clean.save(jpeg, "JPEG", quality=90, dpi=(LOGO_DPI, LOGO_DPI))
        if jpeg.tell() * 2 < png.tell():
            return jpeg.getvalue()
    return png.getvalue()


def _decoded(data: bytes) -> tuple[PILImage, str | None]:
    """The logo `data` checked, decoded in full, upright and in sRGB; and its format."""
    from PIL import Image, ImageOps

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise LogoError(
                    f"is {width}×{height} pixels; a logo may have at most "
                    f"{MAX_PIXELS // 1_000_000} million"
                )
            if max(width, height) > MAX_ASPECT * min(width, height):
                raise LogoError(f"is {width}×{height} pixels; a logo may be at most "
                                f"{MAX_ASPECT} times as wide as it is tall, or as tall as "
                                "wide")  # fmt: skip
            image.verify()  # the file's structure and checksums, before any pixel
        with Image.open(io.BytesIO(data)) as image:
            image.draft(None, (LOGO_PIXELS, LOGO_PIXELS))  # a JPEG decodes at 1/2 to 1/8
            image.load()  # every pixel: damaged data fails here, not in a typesetter
            turned = image.getexif().get(EXIF_ORIENTATION)
            profile = image.info.get("icc_profile")
            kind = image.format
            # Scaled first, so that turning and colour work on 1.4 million pixels, not 16.
            small = _eight_bit(image)
            small.thumbnail((LOGO_PIXELS, LOGO_PIXELS), Image.Resampling.LANCZOS)
            upright = ImageOps.exif_transpose(small)
    # Pillow reads EXIF with its TIFF reader, and skips (with a warning) what it cannot
    # read: where that leaves no orientation, the orientation may be what was skipped.
    if turned is None and any(w.filename.endswith("TiffImagePlugin.py") for w in said):
        raise LogoError("has damaged EXIF data: which way up it goes cannot be read; save "
                        "it again as PNG or JPEG")  # fmt: skip
    return _srgb(upright, profile), kind


def _eight_bit(image: PILImage) -> PILImage:
    """`image` in a mode that scales smoothly: 16-bit grey as 8-bit (Pillow's conversion
    would clip every value above 255 to white), a palette or transparency as RGBA."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if image.mode in ("P", "LA", "La", "PA", "RGBa") or "transparency" in image.info:
        return image.convert("RGBA")
    if image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return image.convert("RGB")  # 1-bit, YCbCr, LAB
    return image


def _srgb(image: PILImage, profile: bytes | None) -> PILImage:
    """`image` (scaled, upright) as RGB, or RGBA where it has any transparency, in sRGB."""
    from PIL import ImageCms

    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            target = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
            converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a damaged profile: the colours as the numbers say
        image = converted or image
    if image.mode != mode:
        image = image.convert(mode)
    if mode == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # transparency declared, none used
    return image


def load_kit(path: Path) -> Kit:
    """Read and validate a kit file; raise `ContentError` with every problem."""
    kit, problems = _read_kit(path)
    if problems or kit is None:
        raise ContentError(problems)
    return kit


def _read_kit(path: Path) -> tuple[Kit | None, list[Problem]]:
    """The kit file and its problems. With problems, the kit holds the keys that were
    right (the others at their defaults), so that its references can still be checked.

    Every problem is found in one run: a value YAML cannot read (an impossible date) is
    left out and the rest is checked; every text passes the one text check (`unsafe`) at
    its line; a variable may not take a name the templates use themselves."""
    from .readers.yamlfile import load_yaml  # the default kit is built without PyYAML

    source = load_yaml(path, partial=True)
    problems = list(source.problems)
    if not isinstance(source.data, dict):
        problems.append(source.problem((), "expected a mapping with `kind: kit` at the top"))
        return None, problems
    problems.extend(_text_problems(source))
    data = source.data
    from pydantic import ValidationError

    read = validator(KitFile).validate_python
    try:
        kit = Kit(read(data), path.parent, source)
    except ValidationError as exc:
        problems.extend(source.besides_unread(translate_errors(source, KitFile, exc)))
        wrong = {err["loc"][0] for err in exc.errors() if err["loc"]}
        try:
            rest = {k: v for k, v in data.items() if k not in wrong} | {"kind": "kit"}
            kit = Kit(read(rest), path.parent, source)
        except ValidationError:
            return None, problems
    if kit.spec.variables:
        from .templating import variable_problem

        for name in kit.spec.variables:
            why = variable_problem(name)
            if why:
                problems.append(source.problem(("variables", name), why))
    return kit, problems


PATHS = frozenset((("branding", "logo"), ("content",), ("templates",)))
"""The kit file's file names: read, never printed, so only their controls are checked."""


def _is_path(key_path: KeyPath) -> bool:
    return tuple(p for p in key_path if isinstance(p, str)) in PATHS


def _text_problems(source: SourceFile) -> Iterator[Problem]:
    """Every text of the kit file that no output could print as written (`unsafe`)."""
    from .library import strings
    from .textcheck import unsafe

    for key_path, text in strings(source.data, ()):
        why = unsafe(text, path=_is_path(key_path))
        if why:
            source.bad.add(key_path)
            yield source.problem(key_path, why)


def is_kit_file(path: Path) -> bool:
    """Whether `path` is a YAML file that says `kind: kit` (read through the gate)."""
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return False
    from .readers.yamlfile import load_yaml

    try:  # a kit file with a value YAML cannot read is still a kit file, and checked as one
        data = load_yaml(path, partial=True).data
    except ContentError:
        return False
    return isinstance(data, dict) and data.get("kind") == "kit"


def open_kit(path: Path | None, extra: Iterable[Path] = ()) -> tuple[Kit, Library]:
    """The kit file (or the default kit) with its library, every reference checked.

    Every problem is collected before stopping: the kit file's own, those of the content
    folders it names, and its references to tools, decks, handouts and files.
    """
    if path is None:
        kit: Kit | None = default_kit()
        read: list[Problem] = []
    else:
        kit, read = _read_kit(path)
    problems: list[Problem] = []
    folders: list[Path] = []
    if kit is not None:
        for i, text in enumerate(kit.spec.content):
            try:
                folders.append(kit.path(text, ("content", i)))
            except ContentError as exc:
                problems.extend(exc.problems)
    try:
        library: Library | None = load_library([*extra, *folders])
    except ContentError as exc:
        problems.extend(exc.problems)
        library = None
    if kit is not None and library is not None:
        problems.extend(kit.problems(library))
    if kit is not None and kit.source is not None:  # a value refused as read, once only
        problems = kit.source.besides_unread(problems)
    problems = [*read, *problems]
    if problems or kit is None or library is None:
        raise ContentError(problems)
    return kit, library


def default_kit(folder: Path | None = None) -> Kit:
    """The default kit: Værktøj 2 with the dialogue cards."""
    return Kit(KitFile(kind="kit"), folder or Path.cwd())
