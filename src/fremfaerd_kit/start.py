"""The `kit` command's first moments.

The command line imports Typer, Rich and the kit's modules before it can set its own
signal handlers, a tenth of a second in which Ctrl-C would end the process with a
Python traceback. This module, the console script's entry point, imports nothing but
the standard library's `os`, `signal` and `sys`, and at once makes Ctrl-C and `kill`
end the process with exit 130 and 143 and one line: nothing has been read or written
yet, so there is nothing to tidy. The command line then sets the handlers that hold a
signal while outputs are put in place (`cli.main`).
"""

from __future__ import annotations

import os
import signal
from types import FrameType


def _early_stop(signum: int, frame: FrameType | None) -> None:
    stopped = signum == signal.SIGTERM
    os.write(2, b"kit: terminated\n" if stopped else b"kit: interrupted\n")
    os._exit(143 if stopped else 130)


def main() -> None:
    """Console-script entry point: signals handled from the first instant, then the CLI."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _early_stop)
    from .cli import main as cli_main

    cli_main()
