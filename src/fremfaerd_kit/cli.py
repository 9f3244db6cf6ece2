"""The `kit` command: a thin shell over the library. Each command parses, calls, prints."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .errors import ContentError, KitError

app = typer.Typer(
    name="kit",
    help="Printable workshop kits from Fremfærd's material: cards, agendas, worksheets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])


class State:
    debug = False
    content: list[Path] = []  # noqa: RUF012 - one process, one state


def reports_errors(command: F) -> F:
    """Turn the kit's own errors into one line each on stderr and the error's exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KitError as exc:
            if State.debug:
                raise
            if isinstance(exc, ContentError):
                for problem in exc.problems:
                    typer.echo(str(problem), err=True)
                count = len(exc.problems)
                typer.echo(f"kit: {count} problem{'s' if count != 1 else ''} found", err=True)
            else:
                typer.echo(f"kit: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("kit: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main_options(
    content: Annotated[
        list[Path] | None,
        typer.Option(
            "--content", help="An extra folder (or file) of your own content; repeatable."
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Printable workshop kits from Fremfærd's material: cards, agendas, worksheets."""
    State.debug = debug
    State.content = list(content or [])


def _library() -> Any:
    from .library import load_library

    return load_library(State.content)


@app.command("list")
@reports_errors
def list_command() -> None:
    """List the tools, card decks and handouts in the library."""
    from .terminal import listing

    typer.echo(listing(_library()), nl=False)


@app.command("show")
@reports_errors
def show_command(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="A tool, deck or handout id.")],
) -> None:
    """Show one tool, deck or handout."""
    from .terminal import show

    typer.echo(show(_library(), item_id), nl=False)


@app.command("check")
@reports_errors
def check_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Your own YAML files or folders; without any, the built-in library."),
    ] = None,
) -> None:
    """Check content files; print every problem as file:line:column: key.path: message."""
    from .library import load_library

    library = load_library([*State.content, *(paths or [])])
    typer.echo(
        f"ok: {len(library.tools)} tools, {len(library.decks)} decks, "
        f"{len(library.handouts)} handouts"
    )


def main() -> None:
    """Console-script entry point."""
    app(prog_name="kit")


if __name__ == "__main__":  # pragma: no cover
    main()
