"""Build a whole workshop kit: guide, agendas, worksheets, cards, handouts, invitation,
calendar event and an index that says how to print each file.

Everything is rendered in memory first; only when every document has been made are the
files written, all or nothing (`output.write_all`). A failed build therefore leaves an
earlier kit as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .agenda import agenda_markdown, render_agenda
from .colours import tint
from .documents import (
    deck_slides_markdown,
    guide_markdown,
    handout_markdown,
    pdf,
    tool_slides_markdown,
    worksheet_markdown,
)
from .errors import ContentError, Location, OutputError, OutputPathError, Problem
from .frontmatter import Look
from .intake import read_bytes, was_read
from .kitfile import Kit
from .library import Library, load_library
from .oskit import lock_folder
from .output import write_all, zip_time
from .present import facilitator_html
from .schedule import fit
from .templating import filler, render, values
from .typesetters.slides import slides_pdf
from .typesetters.word import markdown_docx

Progress = Callable[[str], None]


@dataclass(frozen=True)
class KitFileOut:
    """One file of the kit and how to print it (`copies` 0: not for printing)."""

    name: str
    kind: str
    data: bytes
    copies: int = 1
    sides: str = "one-sided"
    item: str = ""

    @property
    def pages(self) -> int:
        """Pages of a PDF (ReportLab leaves page objects uncompressed); 0 for other files."""
        from .typesetters.pdf import page_count

        return page_count(self.data) if self.name.endswith(".pdf") else 0


@dataclass
class BuiltKit:
    folder: Path
    files: list[KitFileOut] = field(default_factory=list)
    zip_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    """What the user should know of the build (a record's lines left alone)."""


def kit_look(kit: Kit) -> Look:
    """The kit's branding as the typesetters take it: accent, its tint, logo, footer."""
    accent = kit.spec.branding.accent
    return Look(
        **({"accent": accent, "tint": tint(accent)} if accent else {}),
        logo=kit.logo(),
        footer=kit.spec.branding.footer,
    )


def plan_kit(
    kit: Kit, library: Library | None = None, progress: Progress | None = None
) -> list[KitFileOut]:
    """Render every file of the kit in memory, in the order of the index."""
    from .cards import CardOptions, render_cards

    say = progress or (lambda _: None)
    spec = kit.spec
    library = library or load_library(kit.content_folders())
    problems = kit.problems(library)  # every reference checked before anything is made
    if problems:
        raise ContentError(problems)
    library = library.retitled({c.id: c.title for c in spec.decks if c.title})
    overrides = kit.templates_folder()
    templates = [overrides] if overrides else []
    look = kit_look(kit)
    variables = spec.variables_for_templates()
    tool = library.tool(spec.tool)
    schedule = fit(tool, spec.minutes, start=spec.start_time, day=spec.date)
    files: list[KitFileOut] = []

    word = "docx" in spec.formats

    def twin(name: str, kind: str, markdown: str, where: str) -> None:
        """The Word twin of a document, from the same Markdown (not for printing)."""
        if word:
            data = markdown_docx(markdown, paper_id=spec.paper, look=look, where=where)
            files.append(
                KitFileOut(name.removesuffix(".pdf") + ".docx", kind, data, 0, item="Word")
            )

    say("guide")
    text = guide_markdown(
        library,
        tool.id,
        minutes=schedule.minutes,
        start=spec.start_time,
        day=spec.date,
        variables=variables,
        templates=templates,
        decks=[choice.id for choice in spec.decks],
    )
    guide = pdf(text, paper=spec.paper, look=look, where="guide")
    files.append(KitFileOut("01-guide.pdf", "guide", guide))
    twin("01-guide.pdf", "guide", text, "guide")

    say("dagsordener")
    for audience, name, copies in (
        ("facilitator", "02-dagsorden-moedeleder.pdf", 1),
        ("participants", "03-dagsorden-deltagere.pdf", spec.participants),
    ):
        data = render_agenda(
            library,
            schedule,
            fmt="pdf",
            audience=audience,  # type: ignore[arg-type]
            paper=spec.paper,
            templates=templates,
            look=look,
            variables=variables,
        )
        files.append(KitFileOut(name, f"agenda-{audience}", data, copies))
        if word:
            text = agenda_markdown(
                library, schedule, audience, templates=templates, front_matter=True,  # type: ignore[arg-type]
                variables=variables,
            )  # fmt: skip
            twin(name, f"agenda-{audience}", text, f"agenda of {tool.id}")

    if tool.group_work:
        say("arbejdsark")
        text = worksheet_markdown(
            library, tool.id, groups=spec.groups, day=spec.date, variables=variables,
            templates=templates,
        )  # fmt: skip
        sheets = pdf(text, paper=spec.paper, look=look, where="worksheets")
        files.append(KitFileOut("04-arbejdsark.pdf", "worksheets", sheets))
        twin("04-arbejdsark.pdf", "worksheets", text, "worksheets")

    for choice in spec.decks:
        say(f"kort: {choice.id}")
        options = CardOptions(
            paper=spec.paper,
            size=spec.card_size,
            duplex=spec.duplex,
            selection=choice.selection,
        )
        result = render_cards(library, [choice.id], options, filler(variables))
        files.append(
            KitFileOut(
                f"05-kort-{choice.id}.pdf", "cards", result.pdf, spec.groups,
                f"two-sided-{spec.duplex}-edge", choice.id,
            )
        )  # fmt: skip

    for handout_id in spec.handouts:
        say(f"handout: {handout_id}")
        text = handout_markdown(library, handout_id, templates=templates, variables=variables)
        files.append(
            KitFileOut(
                f"06-handout-{handout_id}.pdf", "handout",
                pdf(text, paper=spec.paper, look=look, where=f"handout {handout_id}"),
                spec.participants, item=handout_id,
            )
        )  # fmt: skip
        twin(f"06-handout-{handout_id}.pdf", "handout", text, f"handout {handout_id}")

    for item in spec.slides:
        say(f"slides: {item}")
        if item == tool.id:
            text = tool_slides_markdown(library, schedule, variables=variables, templates=templates)
        else:
            chosen = next((c for c in spec.decks if c.id == item), None)
            text = deck_slides_markdown(
                library, item, variables=variables, templates=templates,
                selection=chosen.selection if chosen else None,
            )  # fmt: skip
        data = slides_pdf(text, look=look, where=f"slides of {item}")
        files.append(KitFileOut(f"07-slides-{item}.pdf", "slides", data, 0, item=item))

    say("invitation")
    invitation = render_agenda(
        library, schedule, fmt="md", audience="participants", templates=templates,
        variables=variables,
    )  # fmt: skip
    files.append(KitFileOut("invitation.md", "invitation", invitation, 0))
    twin("invitation.pdf", "invitation", invitation.decode(), "invitation")
    if schedule.starts_at is not None:
        ics = render_agenda(library, schedule, fmt="ics", templates=templates)
        files.append(KitFileOut("kalender.ics", "calendar", ics, 0))

    say("mødelederskærm")
    picks = [(c.id, c.selection) for c in spec.decks]
    screen = facilitator_html(
        library, schedule, picks, variables=variables, templates=templates, look=look,
        groups=spec.groups,
    )  # fmt: skip
    files.append(KitFileOut("facilitator.html", "screen", screen, 0))

    say("index")
    index = render(
        "documents/index.md.j2",
        templates,
        kit=spec,
        tool=tool,
        schedule=schedule,
        files=files,
        library=library,
        vars=values(variables),
    )
    files.append(KitFileOut("index.md", "index", index.encode(), 0))
    return files


def zip_bytes(files: list[KitFileOut], folder_name: str) -> bytes:
    """The kit's files as a ZIP, byte for byte the same for the same files."""
    buffer = io.BytesIO()
    when = zip_time()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in sorted(files, key=lambda f: f.name):
            info = zipfile.ZipInfo(f"{folder_name}/{f.name}", date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, f.data)
    return buffer.getvalue()


MANIFEST = ".fremfaerd-kit"
"""In a kit's folder: what the kit wrote there, as `sha256sum` lines (`sha256sum -c` checks)."""

KIT_NAME = re.compile(
    r"(?:0[1-7]-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:pdf|docx)|facilitator\.html|invitation\.(?:md|docx)"
    r"|kalender\.ics|index\.md)"
)
"""Every name the kit writes into a kit folder (ids are lower-case ASCII and hyphens)."""
MANIFEST_ENTRIES = 1000
"""A kit file makes at most a few hundred files (20 decks, 50 handouts, 20 slides, twins)."""


def build_kit(
    kit: Kit,
    output: Path,
    *,
    make_zip: bool = False,
    library: Library | None = None,
    progress: Progress | None = None,
) -> BuiltKit:
    """Render the kit, then write its files into `output` (created if needed).

    Only files this kit wrote there before are replaced, and only if unchanged since;
    those it no longer makes are removed; every other file is left alone, and a name
    the kit needs that another file has is an error before anything is written.
    """
    if output.exists() and not output.is_dir():
        raise OutputPathError(f"{output}: is a file; give a folder for the kit")
    files = plan_kit(kit, library, progress)
    created = _make_folder(output)
    try:
        with _locked(output):
            built = _write_kit(files, output, make_zip)
    except BaseException:
        for folder in created:  # a failed build leaves no folder it made (deepest first)
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return built


def _make_folder(output: Path) -> list[Path]:
    """Create `output` and any missing parents; the folders made, deepest first."""
    missing = [folder for folder in (output, *output.parents) if not folder.exists()]
    try:
        for folder in reversed(missing):
            folder.mkdir()
    except FileExistsError:
        pass  # made meanwhile by another process: not ours to remove
    except OSError as exc:
        for folder in missing:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise OutputPathError(f"{output}: cannot create the folder ({exc.strerror})") from None
    return missing


def _write_kit(files: list[KitFileOut], output: Path, make_zip: bool) -> BuiltKit:
    name = output.resolve().name
    writes = [(output / f.name, f.data) for f in files]
    built = BuiltKit(output, files)
    zip_entry = f"../{name}.zip"
    if make_zip:
        built.zip_path = output.parent / f"{name}.zip"
        writes.append((built.zip_path, zip_bytes(files, name)))
    before = _manifest(output, zip_entry, built.notes)
    entries = {_entry(output, path): hashlib.sha256(data).hexdigest() for path, data in writes}
    clashes = [(entry, _clash(output, entry, before)) for entry in entries]
    if any(why for _, why in clashes):
        raise ContentError([Problem(Location(output / e), why) for e, why in clashes if why])
    gone = [
        output / entry
        for entry, digest in before.items()
        if entry not in entries and _digest(output / entry) == digest
    ]
    manifest = "".join(f"{digest}  {entry}\n" for entry, digest in entries.items())
    writes.append((output / MANIFEST, manifest.encode()))
    write_all(writes, remove=gone)  # all or nothing: a failed build leaves the earlier kit whole
    return built


def _entry(output: Path, path: Path) -> str:
    return path.name if path.parent == output else f"../{path.name}"


def _manifest(output: Path, zip_entry: str, notes: list[str]) -> dict[str, str]:
    """What the kit wrote into `output` last time: entry name -> sha256.

    The record is an input like any other: someone may have planted or edited it. So
    only names the kit itself writes count (its files directly in the folder, and the
    folder's own ZIP beside it); any other line is left out with a note, and the files
    it names are never touched. A line that is not a record's line is a located error.
    """
    path = output / MANIFEST
    if not path.exists() and not path.is_symlink():
        return {}
    if path.is_symlink() or not path.is_file():
        raise OutputPathError(
            f"{path}: is not the kit's record of its files (not a plain file); move it away, "
            "then build again"
        )
    try:
        text = read_bytes(path, limit=1024 * 1024, inside=output, remember=False).decode("utf-8")
    except (ContentError, UnicodeDecodeError):
        raise OutputPathError(
            f"{path}: the kit's record of its files is damaged; remove it and the kit's old "
            "files, then build again"
        ) from None
    found: dict[str, str] = {}
    ignored: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        digest, _, entry = line.partition("  ")
        if not (re.fullmatch(r"[0-9a-f]{64}", digest) and entry):
            raise OutputPathError(
                f"{path}:{number}: is not a line of the kit's record of its files; move the "
                "file away, then build again"
            )
        if len(found) < MANIFEST_ENTRIES and (KIT_NAME.fullmatch(entry) or entry == zip_entry):
            found[entry] = digest
        else:
            ignored.append(f"{number}")
    if ignored:
        shown = ", ".join(ignored[:5]) + (" …" if len(ignored) > 5 else "")
        lines = f"lines {shown} name" if len(ignored) > 1 else f"line {shown} names"
        notes.append(f"{path}: {lines} no file the kit writes there; left alone")
    return found


def _digest(path: Path) -> str | None:
    """The sha256 of `path` when it is a regular file (not a symlink) in its folder, and
    not one of this run's inputs; None otherwise, so that the kit does not touch it."""
    try:
        if path.is_symlink() or not path.is_file() or was_read(path):
            return None
        return hashlib.sha256(
            read_bytes(path, limit=MAX_OUTPUT, inside=path.parent, remember=False)
        ).hexdigest()
    except (OSError, ContentError):
        return None


MAX_OUTPUT = 1024 * 1024 * 1024
"""The largest file the kit compares with its record (a 40,000-card PDF is about 60 MB)."""


def _clash(output: Path, entry: str, before: dict[str, str]) -> str | None:
    """Why the kit may not write `entry`, or None: another file has its name."""
    path = output / entry
    if not path.exists() and not path.is_symlink():
        return None
    if path.is_symlink() or not path.is_file():
        return "is not a file the kit wrote; move it away or build into another folder"
    if entry not in before:
        return (
            "exists and was not written by the kit, which does not overwrite it "
            "(move it away, or build into another folder with -o)"
        )
    if _digest(path) != before[entry]:
        return (
            "has been changed since the kit wrote it; move it away to keep your "
            "changes, or remove it, then build again"
        )
    return None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One build at a time into `folder`: a second one is refused, saying why."""
    with lock_folder(folder) as held:
        if not held:
            raise OutputError(
                f"{folder}: another kit build is writing into this folder; wait for it to "
                "finish, then build again"
            )
        yield
