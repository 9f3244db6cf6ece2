"""The `kit` command: a thin shell over the library. Each command parses, calls, prints."""

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument
from typer.exceptions import TyperException

from . import cliparams, oskit
from . import output as outputs
from .errors import ContentError, InputError, KitError, one_line

cliparams.install()

app = typer.Typer(
    name="kit",
    help="Printable workshop kits from Fremfærd's material: cards, agendas, worksheets.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help: rendering it with Rich costs more than the rest of `kit --help`.
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def _argument_usage(self: Any) -> str:
    name = str(self.metavar or self.name).upper()
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


# Typer 0.29 writes required arguments as `{TOOL}` and adds Python types (`TOOL <str>`,
# `DECK <list[str]>`) to the help; a person reads `TOOL`, `[DECK]...` and the help text.
TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


class State:
    debug = False
    content: list[Path] = []  # noqa: RUF012 - one process, one state


class Paper(StrEnum):
    a4 = "a4"
    letter = "letter"


class Duplex(StrEnum):
    long = "long"
    short = "short"


class Backs(StrEnum):
    duplex = "duplex"
    fold = "fold"
    none = "none"


class Layout(StrEnum):
    sheet = "sheet"
    shop = "shop"


class Audience(StrEnum):
    facilitator = "facilitator"
    participants = "participants"
    both = "both"


class Format(StrEnum):
    pdf = "pdf"
    md = "md"
    ics = "ics"
    docx = "docx"


class DocFormat(StrEnum):
    pdf = "pdf"
    docx = "docx"


def choice(enum: type[StrEnum], *flags: str, help: str) -> Any:
    """An option whose values are `enum`'s, in any case, shown as `[a|b|c]` in help."""
    metavar = "[" + "|".join(member.value for member in enum) + "]"
    return typer.Option(*flags, case_sensitive=False, metavar=metavar, help=help)


def _ids_of(kind: str) -> Callable[[str], list[str]]:
    """Shell completion of the library's tool, deck or handout ids."""

    def complete(incomplete: str) -> list[str]:
        try:
            library = _library()
        except KitError:
            return []
        ids = {
            "tool": list(library.tools),
            "deck": list(library.decks),
            "handout": list(library.handouts),
        }.get(kind, library.ids())
        return [item_id for item_id in ids if item_id.startswith(incomplete)]

    return complete


def _target(output: Path | None, default: str) -> Path | None:
    """The file to write (checked before any work), or None for standard output (`-o -`)."""
    from .output import check_target

    if output is not None and str(output) == "-":
        return None
    target = output or Path(default)
    check_target(target)
    return target


def _deliver(target: Path | None, data: bytes, summary: str = "") -> None:
    """`data` to `target` whole (or to standard output), then one line saying so: on
    standard error when the data went to standard output, which then holds nothing else."""
    from .output import write_atomic

    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        typer.echo(f"wrote {len(data):,} bytes to standard output{summary}", err=True)
        return
    verb = "replaced" if target.exists() else "wrote"
    write_atomic(target, data)
    typer.echo(one_line(f"{verb} {target}{summary}"))


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"kit {version('fremfaerd-kit')}")
        raise typer.Exit


def reports_errors(command: F) -> F:
    """Turn the kit's own errors into one line each on stderr and the error's exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            try:
                outputs.source_date_epoch()  # the libraries read it too, and fail on one bad
                result = command(*args, **kwargs)
                outputs.raise_if_stop_requested()  # a stop whose exception was lost on the way
            except (KitError, MemoryError, Exception):
                # A library that swallowed the stop (ReportLab's bare `except:`) may then
                # fail on its own half-made state: what happened is the stop, not a bug.
                outputs.raise_if_stop_requested()
                raise
        except KitError as exc:
            if State.debug:
                traceback.print_exc()
            if isinstance(exc, ContentError):
                for problem in exc.problems:
                    typer.echo(str(problem), err=True)
                count = len(exc.problems)
                typer.echo(f"kit: {count} problem{'s' if count != 1 else ''} found", err=True)
            else:
                typer.echo(one_line(f"kit: error: {exc}"), err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:  # Ctrl-C, or `kill`: outputs were cleaned up on the way
            stopped = isinstance(exc, outputs.Terminated)
            typer.echo(f"kit: {'terminated' if stopped else 'interrupted'}", err=True)
            raise typer.Exit(143 if stopped else 130) from None
        except (TyperException, typer.Exit):
            raise  # usage errors: main() prints them
        except BrokenPipeError:  # `kit build | head`: the reader has gone, as Unix tools take it
            _exit(CLOSED_PIPE)
        except MemoryError:
            typer.echo(
                f"kit: error: the input needs more than the {MEMORY_CAP // 1024**3} GB of memory "
                "the kit allows itself",
                err=True,
            )
            raise typer.Exit(2) from None
        except Exception as exc:  # a bug, not the user's input: say so in one line
            if State.debug:
                traceback.print_exc()
            typer.echo(
                f"kit: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                err=True,
            )
            raise typer.Exit(1) from None
        if outputs.late_signal is not None:
            typer.echo(
                "kit: the interrupt came while the files were being put in place; "
                "they were finished and are complete",
                err=True,
            )
        return result

    return wrapper  # type: ignore[return-value]


@app.callback()
def main_options(
    content: Annotated[
        list[Path] | None,
        typer.Option(
            "--content",
            metavar="DIR",
            help="An extra folder (or file) of your own content; repeatable.",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (the exit code stays the same).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Printable workshop kits from Fremfærd's material: cards, agendas, worksheets."""
    State.debug = debug
    State.content = list(content or [])


def _library() -> Any:
    from .library import load_library

    return _noted(load_library(State.content))


def _noted(library: Any) -> Any:
    """The library, its readers' notes said on standard error (`read as Windows-1252`)."""
    for note in library.notes:
        typer.echo(one_line(f"kit: note: {note}"), err=True)
    return library


@app.command("list")
@reports_errors
def list_command() -> None:
    """List the tools, card decks and handouts in the library."""
    from .terminal import listing

    typer.echo(listing(_library()), nl=False)


@app.command("show")
@reports_errors
def show_command(
    item_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A tool, deck or handout id.", autocompletion=_ids_of("item")
        ),
    ],
) -> None:
    """Show one tool, deck or handout."""
    from .terminal import show

    typer.echo(show(_library(), item_id), nl=False)


@app.command("check")
@reports_errors
def check_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Kit files, or your own content files or folders; without any, the built-in "
            "library.",
        ),
    ] = None,
) -> None:
    """Check content or kit files; print every problem as file:line:column: key.path: message."""
    from .kitfile import is_kit_file, open_kit
    from .library import load_library

    kit_files = [p for p in paths or [] if is_kit_file(p)]
    content = [p for p in paths or [] if p not in kit_files]
    for kit_file in kit_files:
        open_kit(kit_file, [*State.content, *content])
        typer.echo(one_line(f"ok: {kit_file}"))
    if kit_files and not content:
        return
    library = load_library([*State.content, *content])
    typer.echo(
        f"ok: {len(library.tools)} tools, {len(library.decks)} decks, "
        f"{len(library.handouts)} handouts"
    )


MAX_COPIES = 100


def _offset(text: str) -> tuple[float, float]:
    import math

    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(
            "give two numbers in mm, like 1.5,-0.5", param_hint="--back-offset"
        ) from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise typer.BadParameter(
            "give two numbers in mm, like 1.5,-0.5 (not nan or inf)", param_hint="--back-offset"
        )
    return x, y


def _ids(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


DocFormatOption = Annotated[
    DocFormat, choice(DocFormat, "--format", help="pdf, or docx to edit in Word.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="FILE", help="File to write, - for standard output."),
]
PaperOption = Annotated[Paper, choice(Paper, "--paper", help="Paper size.")]


def _variables(pairs: list[str] | None) -> dict[str, str]:
    import re
    import unicodedata

    from .kitfile import NAMES, name_problem
    from .templating import variable_problem
    from .textcheck import unsafe

    found: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = unicodedata.normalize("NFC", pair).partition("=")
        if not sep or not re.fullmatch(r"[a-zæøå_][a-zæøå0-9_]*", key.strip()):
            raise typer.BadParameter(
                f"{pair!r}: give NAME=VALUE, like teknologi=vasketoilet", param_hint="--set"
            )
        name, value = key.strip(), value.strip()
        why = variable_problem(name) or unsafe(value)
        if why:  # the text check of every kit-file text, and its rule for a variable
            raise typer.BadParameter(f"{name}: {why}", param_hint="--set")
        why = name_problem(value) if name in NAMES else None
        if why:  # the kit file's rule for its `title`, `technology` …
            raise typer.BadParameter(f"{name}: the value {why}", param_hint="--set")
        found[name] = value
    return found


SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set", metavar="NAME=VALUE", help="A variable, e.g. teknologi=vasketoilet; repeatable."
    ),
]


@app.command("cards")
@reports_errors
def cards_command(
    decks: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="DECK", help="Deck ids; default: dialogkort.", autocompletion=_ids_of("deck")
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="PDF to write, - for standard output; default: DECK-SIZE.pdf here.",
        ),
    ] = None,
    variables: SetOption = None,
    paper_name: Annotated[
        Paper | None, choice(Paper, "--paper", help="Paper size; default: a4 (or the printer's).")
    ] = None,
    size: Annotated[
        str,
        typer.Option(
            "--size", metavar="SIZE", help="Card size: a7, poker, a6, or WxH in mm (e.g. 70x100)."
        ),
    ] = "poker",
    bleed: Annotated[
        float | None,
        typer.Option(
            "--bleed", metavar="MM", help="Bleed in mm; default: 3 with --layout shop, else 0."
        ),
    ] = None,
    duplex: Annotated[
        Duplex | None,
        choice(Duplex, "--duplex", help="The edge your printer flips the sheet on; default: long."),
    ] = None,
    backs: Annotated[
        Backs,
        choice(
            Backs,
            "--backs",
            help="duplex: a back sheet after each front sheet; fold: side by side; none.",
        ),
    ] = Backs.duplex,
    no_backs: Annotated[bool, typer.Option("--no-backs", help="Fronts only.")] = False,
    instructions: Annotated[
        bool,
        typer.Option(
            "--instructions/--no-instructions",
            help="The deck's guidance as cards ahead of it (where its content has some).",
        ),
    ] = True,
    warmup: Annotated[
        bool,
        typer.Option(
            "--warmup/--no-warmup", help="The deck's warm-up topics as cards marked Opvarmning."
        ),
    ] = True,
    back_offset: Annotated[
        str | None,
        typer.Option(
            "--back-offset", metavar="X,Y", help="Shift the backs X,Y mm (read off --calibrate)."
        ),
    ] = None,
    layout: Annotated[
        Layout,
        choice(Layout, "--layout", help="sheet, or shop: one face per page with bleed."),
    ] = Layout.sheet,
    category: Annotated[
        str | None,
        typer.Option("--category", metavar="IDS", help="Only these categories (comma-separated)."),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option("--only", metavar="IDS", help="Only these cards (comma-separated)."),
    ] = None,
    shuffle: Annotated[bool, typer.Option("--shuffle", help="Shuffle the cards.")] = False,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="N", help="Seed for --shuffle.")
    ] = None,
    calibrate: Annotated[
        bool,
        typer.Option("--calibrate", help="Write a two-sided test sheet for --back-offset instead."),
    ] = False,
    qr: Annotated[
        bool,
        typer.Option("--qr", help="A QR code on each back: the address of the deck's source."),
    ] = False,
    send: Annotated[bool, typer.Option("--print", help="Also print the PDF.")] = False,
    printer: Annotated[
        str | None,
        typer.Option(
            "--printer", metavar="NAME", help="The printer's name; default: the default printer."
        ),
    ] = None,
    copies: Annotated[
        int | None, typer.Option("--copies", metavar="N", help="Copies to print (1-100).")
    ] = None,
) -> None:
    """Print-ready cut-out dialogue cards, with backs for duplex."""
    from .cards import CardOptions, render_cards
    from .decks import Selection
    from .printing import print_pdf, sides_for
    from .templating import filler

    # A saved printer profile fills what the command line leaves open; an option given
    # on the command line wins.
    profile = _profile(printer) if send and printer else None
    if profile is not None:
        typer.echo(f"kit: using the saved settings for {printer}: {profile.summary()}", err=True)
    paper_name = paper_name or Paper(profile.paper if profile else "a4")
    duplex = duplex or Duplex(profile.duplex if profile else "long")
    copies = copies if copies is not None else profile.copies if profile else 1
    if back_offset is None and profile is not None:
        back_offset = ",".join(f"{v:g}" for v in profile.back_offset)
    back_offset = back_offset or "0,0"
    if not 1 <= copies <= MAX_COPIES:
        raise typer.BadParameter(f"give a number from 1 to {MAX_COPIES}", param_hint="--copies")
    if printer is not None and not send:
        typer.echo("kit: warning: --printer is used only with --print; not printing", err=True)
    if send and layout == Layout.shop:
        raise typer.BadParameter(
            "the shop layout is for a print shop, not --print", param_hint="--print"
        )
    if send and output is not None and str(output) == "-":
        raise typer.BadParameter("--print needs a file, not -", param_hint="--output")
    options = CardOptions(
        paper=paper_name.value,
        size=size,
        bleed=bleed,
        duplex=duplex.value,
        backs="none" if no_backs else backs.value,
        back_offset=_offset(back_offset),
        layout=layout.value,
        selection=Selection(_ids(category), _ids(only), instructions, warmup, shuffle, seed),
        qr=qr,
    )
    if calibrate:
        from .calibrate import render_calibration
        from .presets import paper

        target = _target(output, "kalibrering.pdf")
        data = render_calibration(paper(options.paper), options.duplex)
        _deliver(target, data, f": 2 pages; print it two-sided, --duplex {duplex.value}")
        sides = sides_for("duplex", options.duplex)
    else:
        deck_ids = decks or ["dialogkort"]
        target = _target(output, f"{'-'.join(deck_ids)}-{size.lower()}.pdf")
        result = render_cards(_library(), deck_ids, options, filler(_variables(variables)))
        backs_note = {
            "duplex": f"backs for duplex on the {duplex.value} edge",
            "fold": "fronts and backs side by side, fold",
            "none": "no backs",
        }
        _deliver(
            target,
            result.pdf,
            f": {_card_counts(result.faces)}, {result.per_sheet} per "
            f"{'page' if layout == Layout.shop else 'sheet'}, {result.pages} pages, "
            f"{backs_note[options.backs]}"
            + (f", shuffled with --seed {result.seed}" if shuffle else ""),
        )
        sides = sides_for(options.backs, options.duplex)
    if send and target is not None:
        from .presets import paper

        job = print_pdf(
            target,
            printer=printer,
            copies=copies,
            sides=sides,
            media=paper(options.paper).cups_media,
            title=target.name,
        )
        typer.echo(
            f"sent to {printer or 'the default printer'}: job {job.job_id}, "
            f"{copies} cop{'y' if copies == 1 else 'ies'}, {sides}"
        )


printer_app = typer.Typer(
    help="Printer profiles: a calibration kept per printer for kit cards --print --printer.",
    no_args_is_help=True,
)
app.add_typer(printer_app, name="printer")
PrinterArgument = Annotated[str, typer.Argument(metavar="NAME", help="The printer's name.")]


def _profile(name: str) -> Any:
    """The saved profile of printer `name`, or None."""
    from .printers import check_name, load_profiles

    return load_profiles().get(check_name(name))


@printer_app.command("list")
@reports_errors
def printer_list() -> None:
    """The printers with saved settings."""
    from .printers import load_profiles, profiles_path

    profiles = load_profiles()
    if not profiles:
        typer.echo(f"no printer settings saved yet ({profiles_path()})")
    for name, profile in sorted(profiles.items()):
        typer.echo(f"{name}: {profile.summary()}")


@printer_app.command("show")
@reports_errors
def printer_show(name: PrinterArgument) -> None:
    """One printer's saved settings."""
    from .printers import profiles_path

    profile = _profile(name)
    if profile is None:
        raise InputError(f"no saved settings for printer {name!r} in {profiles_path()}")
    typer.echo(f"{name}: {profile.summary()}")


@printer_app.command("set")
@reports_errors
def printer_set(
    name: PrinterArgument,
    back_offset: Annotated[
        str | None,
        typer.Option("--back-offset", metavar="X,Y", help="mm, as read off the calibration."),
    ] = None,
    duplex: Annotated[
        Duplex | None, choice(Duplex, "--duplex", help="The edge the printer flips on.")
    ] = None,
    paper_name: Annotated[Paper | None, choice(Paper, "--paper", help="Its paper.")] = None,
    copies: Annotated[
        int | None, typer.Option("--copies", metavar="N", help="Copies by default (1-100).")
    ] = None,
) -> None:
    """Save settings for a printer (the ones not given keep their value)."""
    from .printers import Profile, check_name, load_profiles, save_profiles

    profiles = load_profiles()  # a damaged file stops here, before anything is written
    old = profiles.get(check_name(name)) or Profile()
    changes: dict[str, Any] = {}
    if back_offset is not None:
        offset = _offset(back_offset)
        if not all(abs(v) <= 20 for v in offset):
            raise typer.BadParameter("each from -20 to 20 mm", param_hint="--back-offset")
        changes["back_offset"] = list(offset)
    if duplex is not None:
        changes["duplex"] = duplex.value
    if paper_name is not None:
        changes["paper"] = paper_name.value
    if copies is not None:
        if not 1 <= copies <= MAX_COPIES:
            raise typer.BadParameter(f"give a number from 1 to {MAX_COPIES}", param_hint="--copies")
        changes["copies"] = copies
    profiles[name] = Profile.model_validate({**old.model_dump(), **changes})
    path = save_profiles(profiles)
    typer.echo(f"saved {name}: {profiles[name].summary()} ({path})")


@printer_app.command("remove")
@reports_errors
def printer_remove(name: PrinterArgument) -> None:
    """Forget a printer's settings."""
    from .printers import load_profiles, profiles_path, save_profiles

    profiles = load_profiles()
    if profiles.pop(name, None) is None:
        raise InputError(f"no saved settings for printer {name!r} in {profiles_path()}")
    save_profiles(profiles)
    typer.echo(f"removed {name}")


@printer_app.command("calibrate")
@reports_errors
def printer_calibrate(
    name: PrinterArgument,
    duplex: Annotated[
        Duplex | None, choice(Duplex, "--duplex", help="The edge the printer flips on.")
    ] = None,
    paper_name: Annotated[Paper | None, choice(Paper, "--paper", help="Its paper.")] = None,
) -> None:
    """Print the calibration sheet on a printer; then save what you read with `set`."""
    import tempfile

    from .calibrate import render_calibration
    from .presets import paper
    from .printing import print_pdf, sides_for

    profile = _profile(name)
    side = duplex.value if duplex else profile.duplex if profile else "long"
    sheet = paper_name.value if paper_name else profile.paper if profile else "a4"
    data = render_calibration(paper(sheet), side)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kalibrering.pdf"
        path.write_bytes(data)
        job = print_pdf(
            path, printer=name, sides=sides_for("duplex", side), media=paper(sheet).cups_media,
            title="kalibrering",
        )  # fmt: skip
    typer.echo(
        f"sent the calibration sheet to {name}: job {job.job_id}, {sides_for('duplex', side)}; "
        f"read the X and Y scales at the middle cross, then: "
        f"kit printer set {name} --back-offset X,Y --duplex {side} --paper {sheet}"
    )


ToolArgument = Annotated[
    str,
    typer.Argument(
        metavar="TOOL", help="A tool id, e.g. vaerktoej2.", autocompletion=_ids_of("tool")
    ),
]
StartOption = Annotated[
    str | None, typer.Option("--start", metavar="HH:MM", help="Start time, e.g. 13:00.")
]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The day of the meeting.")
]
MinutesOption = Annotated[
    int | None,
    typer.Option(
        "--minutes", metavar="MINUTES", help="Length of the session (1-1440); default: the tool's."
    ),
]


def _clock(text: str | None) -> Any:
    from datetime import datetime

    if text is None:
        return None
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a time; give HH:MM, like 13:00", param_hint="--start"
        ) from None


def _day(text: str | None) -> Any:
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date; give YYYY-MM-DD", param_hint="--date"
        ) from None


@app.command("agenda")
@reports_errors
def agenda_command(
    tool_id: ToolArgument,
    minutes: MinutesOption = None,
    start: StartOption = None,
    day: DateOption = None,
    audience: Annotated[Audience, choice(Audience, "--for", help="Whose agenda.")] = Audience.both,
    fmt: Annotated[Format, choice(Format, "--format", help="What to write.")] = Format.pdf,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="File to write, - for standard output; default: TOOL-dagsorden-Nmin.EXT.",
        ),
    ] = None,
    step: Annotated[
        int, typer.Option("--step", metavar="MINUTES", help="Rounding step (1-60).")
    ] = 5,
    with_break: Annotated[
        bool | None,
        typer.Option(
            "--break/--no-break",
            help="Force or forbid a break; default: a break once the tool's threshold is passed.",
        ),
    ] = None,
    paper_name: PaperOption = Paper.a4,
) -> None:
    """An agenda rescaled to the time you have, with clock times."""
    from .agenda import render_agenda
    from .schedule import fit

    if fmt == Format.ics and (start is None or day is None):
        raise typer.BadParameter("a calendar event needs --date and --start", param_hint="--format")
    library = _library()
    schedule = fit(
        library.tool(tool_id),
        minutes,
        step=step,
        with_break=with_break,
        start=_clock(start),
        day=_day(day),
    )
    for warning in schedule.warnings:
        typer.echo(one_line(f"kit: warning: {warning}"), err=True)
    target = _target(output, f"{tool_id}-dagsorden-{schedule.minutes}min.{fmt.value}")
    data = render_agenda(
        library,
        schedule,
        fmt=fmt.value,
        audience=audience.value,
        paper=paper_name.value,
    )
    pause = schedule.break_slot
    _deliver(
        target,
        data,
        f": {schedule.minutes} min"
        + (f", {schedule.span(0, schedule.minutes)}" if schedule.start else "")
        + f", {len(schedule.slots) - (1 if pause else 0)} blocks"
        + (f", a {pause.minutes}-minute break at {schedule.clock(pause.start)}" if pause else ""),
    )


def _card_counts(faces: list[Any]) -> str:
    """`35 cards, 5 instruction cards, 2 warm-up cards`."""
    from .decks import INSTRUCTION, WARMUP

    def cards(n: int, what: str) -> str:
        return f"{n} {what}card{'s' if n != 1 else ''}"

    kinds = [face.category.id for face in faces]
    added = [(kinds.count(INSTRUCTION), "instruction "), (kinds.count(WARMUP), "warm-up ")]
    own = len(kinds) - sum(n for n, _ in added)
    return ", ".join([cards(own, ""), *(cards(n, what) for n, what in added if n)])


@app.command("guide")
@reports_errors
def guide_command(
    tool_id: ToolArgument,
    minutes: MinutesOption = None,
    start: StartOption = None,
    day: DateOption = None,
    variables: SetOption = None,
    output: OutputOption = None,
    paper_name: PaperOption = Paper.a4,
    fmt: DocFormatOption = DocFormat.pdf,
) -> None:
    """The meeting leader's complete guide to a tool, as a PDF (or DOCX)."""
    from .documents import guide_markdown, typeset

    target = _target(output, f"{tool_id}-guide.{fmt.value}")
    text = guide_markdown(
        _library(),
        tool_id,
        minutes=minutes,
        start=_clock(start),
        day=_day(day),
        variables=_variables(variables),
    )
    _deliver(target, typeset(text, fmt.value, paper=paper_name.value, where=f"guide to {tool_id}"))


DeckOption = Annotated[
    list[str] | None,
    typer.Option(
        "--deck",
        metavar="DECK",
        help="A deck to show in the card mode (repeat for more); default: every deck.",
        autocompletion=_ids_of("deck"),
    ),
]


@app.command("present")
@reports_errors
def present_command(
    tool_id: ToolArgument,
    minutes: MinutesOption = None,
    start: StartOption = None,
    day: DateOption = None,
    decks: DeckOption = None,
    variables: SetOption = None,
    groups: Annotated[
        int,
        typer.Option("--groups", metavar="N", help="Groups the notes are tagged with (1 … N)."),
    ] = 3,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="HTML file to write, - for standard output; default: TOOL-moedeleder.html.",
        ),
    ] = None,
) -> None:
    """The facilitator screen: one HTML file that runs the agenda on the day."""
    from .decks import Selection
    from .documents import MAX_GROUPS
    from .present import facilitator_html
    from .schedule import fit

    if not 1 <= groups <= MAX_GROUPS:
        raise InputError(f"--groups {groups}: give a number from 1 to {MAX_GROUPS}")
    library = _library()
    for deck_id in decks or ():
        library.deck(deck_id)  # an unknown deck is an error before anything is made
    schedule = fit(library.tool(tool_id), minutes, start=_clock(start), day=_day(day))
    for warning in schedule.warnings:
        typer.echo(one_line(f"kit: warning: {warning}"), err=True)
    picks = [(d, Selection()) for d in (decks if decks else library.decks)]
    target = _target(output, f"{tool_id}-moedeleder.html")
    data = facilitator_html(
        library, schedule, picks, variables=_variables(variables), groups=groups
    )
    _deliver(
        target,
        data,
        f": {schedule.minutes} min, {len(schedule.slots)} slots, "
        f"{len(picks)} deck{'s' if len(picks) != 1 else ''} for the card mode",
    )


@app.command("slides")
@reports_errors
def slides_command(
    item: Annotated[
        str,
        typer.Argument(
            metavar="TOOL|DECK",
            help="A tool (its workshop, fitted to --minutes) or a deck (one slide a card).",
            autocompletion=lambda incomplete: [
                *_ids_of("tool")(incomplete),
                *_ids_of("deck")(incomplete),
            ],
        ),
    ],
    minutes: MinutesOption = None,
    start: StartOption = None,
    day: DateOption = None,
    variables: SetOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="PDF to write, - for standard output; default: TOOL-slides.pdf here.",
        ),
    ] = None,
) -> None:
    """Slides (16:9 PDF) for a projector: a tool's workshop, or a deck."""
    from .documents import deck_slides_markdown, tool_slides_markdown
    from .schedule import fit
    from .typesetters.pdf import page_count
    from .typesetters.slides import slides_pdf

    library = _library()
    values = _variables(variables)
    if item in library.tools:
        schedule = fit(library.tool(item), minutes, start=_clock(start), day=_day(day))
        for warning in schedule.warnings:
            typer.echo(one_line(f"kit: warning: {warning}"), err=True)
        text = tool_slides_markdown(library, schedule, variables=values)
    elif item in library.decks:
        if minutes is not None or start is not None or day is not None:
            raise typer.BadParameter("a deck's slides have no times", param_hint="--minutes")
        text = deck_slides_markdown(library, item, variables=values)
    else:
        from .library import unknown_id

        raise InputError(unknown_id("tool or deck", item, [*library.tools, *library.decks]))
    target = _target(output, f"{item}-slides.pdf")
    data = slides_pdf(text, where=f"slides of {item}")
    _deliver(target, data, f": {page_count(data)} slides, 16:9")


@app.command("worksheet")
@reports_errors
def worksheet_command(
    tool_id: ToolArgument,
    groups: Annotated[
        int,
        typer.Option("--groups", metavar="N", help="Print N sets headed Gruppe 1 … Gruppe N."),
    ] = 0,
    day: DateOption = None,
    variables: SetOption = None,
    output: OutputOption = None,
    paper_name: PaperOption = Paper.a4,
    fmt: DocFormatOption = DocFormat.pdf,
) -> None:
    """One A4 sheet per group-work task, with room to write (DOCX: to fill in on screen)."""
    from .documents import typeset, worksheet_markdown

    target = _target(output, f"{tool_id}-arbejdsark.{fmt.value}")
    text = worksheet_markdown(
        _library(), tool_id, groups=groups, day=_day(day), variables=_variables(variables)
    )
    where = f"worksheets of {tool_id}"
    _deliver(target, typeset(text, fmt.value, paper=paper_name.value, where=where))


@app.command("handout")
@reports_errors
def handout_command(
    handout_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A handout id (see kit list).", autocompletion=_ids_of("handout")
        ),
    ],
    output: OutputOption = None,
    paper_name: PaperOption = Paper.a4,
    fmt: DocFormatOption = DocFormat.pdf,
) -> None:
    """An advice list, model or table as a printable one-page handout."""
    from .documents import handout_markdown, typeset

    target = _target(output, f"{handout_id}.{fmt.value}")
    text = handout_markdown(_library(), handout_id)
    where = f"handout {handout_id}"
    _deliver(target, typeset(text, fmt.value, paper=paper_name.value, where=where))


@app.command("build")
@reports_errors
def build_command(
    kit_file: Annotated[
        Path | None,
        typer.Argument(metavar="KITFILE", help="A kit file; without one, the default kit."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FOLDER",
            help="Folder to write; default: ./kit for the default kit, ./NAME for NAME.yaml, "
            "./kit-FOLDER for FOLDER/kit.yaml.",
        ),
    ] = None,
    make_zip: Annotated[bool, typer.Option("--zip", help="Also write FOLDER.zip.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or table.")] = False,
) -> None:
    """Build a whole workshop kit: guide, agendas, worksheets, cards, handouts, invitation."""
    from .build import build_kit
    from .kitfile import open_kit

    kit, library = open_kit(kit_file, State.content)
    if not quiet:
        _noted(library)
    folder = output or default_folder(kit_file)
    if quiet or not sys.stderr.isatty():  # a spinner only where someone watches it
        built = build_kit(kit, folder, make_zip=make_zip, library=library)
        if not quiet:
            _summary(built)
    else:
        from rich.progress import Progress, SpinnerColumn, TextColumn

        console = _console(stderr=True)
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
        ) as bar:
            task = bar.add_task("building", total=None)
            built = build_kit(
                kit,
                folder,
                make_zip=make_zip,
                library=library,
                progress=lambda step: bar.update(task, description=f"building: {step}"),
            )
        _summary(built)
    for note in built.notes:
        typer.echo(one_line(f"kit: warning: {note}"), err=True)
    typer.echo(one_line(f"wrote {len(built.files)} files to {built.folder}{os.sep} (see index.md)"))
    if built.zip_path:
        typer.echo(one_line(f"wrote {built.zip_path}"))


def _console(stderr: bool = False) -> Any:
    """A Rich console whose closed pipe is a `BrokenPipeError` like any other write's
    (Rich's own ends the process with exit 1 instead)."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return PipeConsole(stderr=stderr)


def default_folder(kit_file: Path | None) -> Path:
    """Where a kit goes without -o, in this folder: the default kit in `kit`; `mykit.yaml`
    in `mykit`; a file called `kit.yaml` in `kit-` and its folder's name, so that kits in
    folders of their own (`examples/*/kit.yaml`) each get a folder of their own."""
    if kit_file is None:
        return Path("kit")
    if kit_file.stem == "kit":
        return Path(f"kit-{kit_file.resolve().parent.name}".rstrip("-"))
    return Path(kit_file.stem)


def _summary(built: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(one_line(f"{built.folder}{os.sep}")), title_justify="left")
    for column in ("file", "pages", "size", "print"):
        table.add_column(column, justify="right" if column in ("pages", "size") else "left")
    for f in built.files:
        how = f"{f.copies} × {f.sides}" if f.copies else "-"
        table.add_row(f.name, str(f.pages or "-"), f"{len(f.data) / 1024:.0f} kB", how)
    _console().print(table)


@app.command("referat")
@reports_errors
def referat_command(
    notes_file: Annotated[
        Path,
        typer.Argument(metavar="NOTES", help="The notes file the facilitator screen saved."),
    ],
    kit_file: Annotated[
        Path | None,
        typer.Argument(metavar="KITFILE", help="The kit file: its header, look and content."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FOLDER",
            help="Folder to write; default: ./referat-NAME for noter-NAME.json.",
        ),
    ] = None,
) -> None:
    """The referat of a workshop from its notes: PDF and Word, a participants' version,
    the agreements as Excel and the next meeting as a calendar event."""
    from .build import kit_look
    from .errors import OutputPathError
    from .kitfile import open_kit
    from .notes import read_notes
    from .output import write_all
    from .referat import check_tool, make_referat

    if kit_file is not None:
        kit, library = open_kit(kit_file, State.content)
        overrides = kit.templates_folder()
        options: dict[str, Any] = {
            "variables": kit.spec.variables_for_templates(),
            "templates": [overrides] if overrides else [],
            "look": kit_look(kit),
            "paper": kit.spec.paper,
        }
    else:
        library, options = _library(), {}
    notes = read_notes(notes_file)
    options.setdefault("variables", dict(notes.meeting.variables))
    check_tool(library, notes, notes_file)
    referat = make_referat(library, notes, **options)
    folder = output or Path("referat-" + notes_file.stem.removeprefix("noter-"))
    if folder.exists() and not folder.is_dir():
        raise OutputPathError(f"{folder}: is a file; give a folder to write the referat into")
    made = not folder.exists()
    if made:
        try:
            folder.mkdir()
        except OSError as exc:
            raise OutputPathError(f"{folder}: cannot make the folder ({exc.strerror})") from None
    existed = {name for name, _ in referat.files if (folder / name).exists()}
    try:
        write_all([(folder / name, data) for name, data in referat.files])
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for name, _ in referat.files:
        typer.echo(f"{'replaced' if name in existed else 'wrote'} {folder / name}", err=True)
    typer.echo(f"wrote {len(referat.files)} files to {folder}{os.sep}")


@app.command("init")
@reports_errors
def init_command(
    path: Annotated[
        Path | None, typer.Argument(metavar="KITFILE", help="The kit file to write.")
    ] = None,
    deck: Annotated[
        Path | None,
        typer.Option(
            "--deck",
            metavar="FILE.xlsx",
            help="Also (or only) write a starter workbook for your own cards.",
        ),
    ] = None,
    notes_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="NOTES",
            help="Start the kit from a workshop's notes (the facilitator screen's file).",
        ),
    ] = None,
) -> None:
    """Write a commented starter kit file, or a starter workbook of cards, to edit."""
    from .errors import OutputPathError
    from .output import write_all
    from .resources import templates_dir

    if path is None and deck is None:
        raise typer.BadParameter("give a kit file to write, or --deck FILE.xlsx")
    if deck is not None and deck.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"{deck}: name the workbook FILE.xlsx", param_hint="--deck")
    if notes_file is not None and path is None:
        raise typer.BadParameter("give the kit file to write: kit init NEXT.yaml --from NOTES")
    files: list[tuple[Path, bytes]] = []
    carried: tuple[str, ...] = ()
    if path is not None and notes_file is not None:
        from .carry import next_kit
        from .notes import read_notes

        made = next_kit(read_notes(notes_file))
        files.append((path, made.text.encode("utf-8")))
        carried = made.notes
    elif path is not None:
        files.append((path, (templates_dir() / "kit" / "starter.yaml").read_bytes()))
    if deck is not None:
        from .readers.xlsxdeck import starter_workbook

        files.append((deck, starter_workbook()))
    for target, _ in files:
        if target.exists() or target.is_symlink():
            raise OutputPathError(f"{target}: already exists; choose another name or remove it")
    write_all(files)
    for note in carried:
        typer.echo(f"kit: note: {note}", err=True)
    if path is not None:
        typer.echo(f"wrote {path}; edit it, then: kit build {path}")
    if deck is not None:
        folder = deck.parent
        typer.echo(
            f"wrote {deck}; one row a card. Use it: kit --content {folder} cards {deck.stem}, "
            f"or content: [{folder}] in a kit file"
        )


def _stop(signum: int, frame: object) -> None:
    """Ctrl-C and `kill`: stop, unless the outputs are already in place (then finish)."""
    outputs.stop(signum)


MEMORY_CAP = 1024**3
"""Address space the `kit` command may use: the largest deck it accepts needs about a
third of it. A received file that asks for more fails at once with a clear line, rather
than pushing the machine into swap."""


def _cap_memory() -> None:
    oskit.cap_memory(MEMORY_CAP)  # not enforced on macOS (the README's limits say so)


def main() -> None:
    """Console-script entry point: usage errors as one line, exit code 2."""
    import gc

    from typer.exceptions import TyperException

    # One short batch run: many objects, next to no cyclic garbage. Python's default
    # thresholds re-scan every live object again and again (a tenth of the time of
    # 4,000 cards); collect far less often. The library API leaves the setting alone.
    gc.set_threshold(50_000, 20, 20)
    oskit.on_interrupt(_stop)  # SIGINT, SIGTERM, and each platform's own (oskit)
    sys.unraisablehook = outputs.keep_lost_stops  # a stop Python drops in a finaliser
    _cap_memory()
    try:
        code = app(prog_name="kit", standalone_mode=False)
    except TyperException as exc:  # Typer's own usage errors (its vendored click's)
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help())
            _exit(0)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        message = message.replace("Value error, ", "")  # pydantic's prefix, through Typer
        hint = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        typer.echo(one_line(f"kit: error: {message}{hint}"), err=True)
        _exit(getattr(exc, "exit_code", 2))
    except (typer.Abort, KeyboardInterrupt):  # a stop outside a command (Click's Abort)
        stopped = outputs.stop_requested == signal.SIGTERM
        typer.echo(f"kit: {'terminated' if stopped else 'interrupted'}", err=True)
        _exit(143 if stopped else 130)
    except SystemExit as exc:  # a command's own exit code
        if isinstance(exc.code, str):
            typer.echo(exc.code, err=True)
        _exit(exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1)
    _exit(code if isinstance(code, int) else 0)


CLOSED_PIPE = 128 + 13
"""The exit status of a Unix tool whose reader went away (killed by SIGPIPE, 13): what a
shell shows for `yes | head -1`. Nothing is said: the reader is gone and the user chose
to stop reading."""


def _exit(code: int) -> None:
    """End the process once its output is out: every file the command wrote is closed
    and renamed into place by now, so tearing down the interpreter's hundred thousand
    objects (a sixth of a short run) would only delay the prompt."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            code = code or CLOSED_PIPE
        except (OSError, ValueError):  # a closed stream: the exit code still counts
            code = code or 1
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
