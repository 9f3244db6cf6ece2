"""Write outputs whole or not at all: a temporary file in the target folder, then a rename.

What a command writes must never cost the user anything they had. So:

- every file goes first to a hidden temporary file beside its target, and only when all
  of them are on disk are they renamed into place (a full disk or an error midway leaves
  every earlier file as it was);
- Ctrl-C or `kill` while the temporary files are written stops the command with nothing
  changed; once the renames have begun they are finished first, so a kit is never half
  old and half new (the signal is then dropped: the work it would have stopped is done);
- a temporary file left by a process that was killed outright (SIGKILL) is removed by
  the next write into that folder;
- a FIFO or a character device named as the output is written through, as shell
  redirection would, never replaced; a block device or a socket is refused;
- an output never lands on a file the same command has read as input.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import InputError, OutputError, OutputPathError
from .intake import was_read
from .oskit import (
    check_replaceable,
    interrupt_signals,
    open_stream,
    process_alive,
    replacing,
)

_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.kit-tmp$")
late_signal: int | None = None
"""A signal that came while outputs were being put in place (and was dropped)."""
committed = False
"""Whether outputs have been put in place: from then on the `kit` command finishes (its
signal handlers drop SIGINT and SIGTERM), so that its exit code says what happened."""
stop_requested: int | None = None
"""A signal that asked the command to stop before anything was put in place. Its
exception may be lost on the way (Python drops one raised in a finaliser or a callback),
so `write_all` looks here too and puts nothing in place once a stop was asked for."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that a command stops the same tidy way."""


def stop(signum: int) -> None:
    """Ask the command to stop: raise in the main thread, unless outputs are in place."""
    global late_signal, stop_requested
    if committed:
        late_signal = signum
        return
    stop_requested = signum
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def keep_lost_stops(unraisable: sys.UnraisableHookArgs) -> None:
    """`sys.unraisablehook`: a stop raised inside a finaliser or a weakref callback, where
    Python drops the exception and prints it, is asked for again at once (the handler then
    raises it in ordinary code), and nothing is printed; anything else as Python does."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        if stop_requested is not None and not committed:
            # Asked again from another thread, a moment later: by then the main thread is
            # back in ordinary code, where the handler's exception is not dropped (asked
            # for from here, the handler would run, and raise, inside this very hook).
            again = threading.Timer(0.005, signal.raise_signal, (stop_requested,))
            again.daemon = True
            again.start()
        return
    sys.__unraisablehook__(unraisable)


def raise_if_stop_requested() -> None:
    """Raise the stop a signal asked for, if its own exception was lost on the way."""
    if stop_requested is not None and not committed:
        raise Terminated if stop_requested == signal.SIGTERM else KeyboardInterrupt


LATEST_EPOCH = 253402300799
"""9999-12-31 23:59:59 UTC: the latest time every writer the kit uses can date a file."""


def source_date_epoch() -> int | None:
    """`SOURCE_DATE_EPOCH` (reproducible builds): a whole number of seconds, or None unset.

    ReportLab and fontTools read the variable themselves and fail on a value they cannot
    parse, so a malformed one is an error before any work, as the specification asks
    (reproducible-builds.org: "the build process SHOULD exit with a non-zero error code").
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and int(text) <= LATEST_EPOCH):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise InputError(
            f"SOURCE_DATE_EPOCH: {shown!r} is not a whole number of seconds since "
            "1970-01-01 up to the year 9999 (for example 1767225600); set it so, or unset it"
        )
    return int(text)


def zip_time() -> tuple[int, int, int, int, int, int]:
    """The time every entry of a ZIP the kit writes carries: `SOURCE_DATE_EPOCH`, or
    1980-01-01 (the earliest a ZIP can hold), so the same content gives the same bytes."""
    import time

    dos_epoch, zip_end = 315532800, 4354819199  # 1980-01-01 and 2107-12-31, as a ZIP holds
    t = time.gmtime(min(max(source_date_epoch() or dos_epoch, dos_epoch), zip_end))
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def redated_zip(package: bytes) -> bytes:
    """An Office file (a ZIP) with every part dated `zip_time()`, so the same document gives
    the same bytes: python-docx and openpyxl stamp each part with the time it is written."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=zip_time())
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def check_target(path: Path) -> None:
    """Fail early, before any work, if `path` cannot be a file we write."""
    if "\0" in str(path):
        raise OutputPathError(f"{path!r}: contains a NUL byte, which no file name can hold")
    real = _real(path)
    try:
        mode = real.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputPathError(f"{path}: is a folder; give a file name such as {path / 'kort.pdf'}")
    if mode is not None and (stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)):
        kind = "a block device" if stat.S_ISBLK(mode) else "a socket"
        raise OutputPathError(f"{path}: is {kind}; the kit writes files, FIFOs and streams only")
    if was_read(real):
        raise OutputPathError(
            f"{path}: is one of this command's own inputs; write the output somewhere else"
        )
    if mode is not None and _streams(mode):
        return
    folder = real.parent
    if not folder.is_dir():
        shown = path.parent if str(path.parent) else Path()
        raise OutputPathError(f"{path}: the folder {shown} does not exist")
    if not os.access(folder, os.W_OK):
        shown = path.parent if str(path.parent) else Path()
        raise OutputPathError(f"{path}: cannot write in {shown} (permission denied)")


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    return write_all([(path, data)])[0]


def write_all(files: Sequence[tuple[Path, bytes]], *, remove: Sequence[Path] = ()) -> list[Path]:
    """Write several files all or none, then remove `remove` (files the same job wrote
    before and no longer makes).

    Each is first written whole to a temporary file beside its target; only when every
    one is on disk are they renamed into place. A full disk, a write error or a signal
    midway leaves every earlier file as it was and no temporary file behind.
    """
    global late_signal, committed
    staged: list[tuple[Path, Path]] = []
    streams: list[tuple[Path, bytes]] = []
    current = files[0][0] if files else Path()
    with _held_signals() as held:
        try:
            for path, data in files:
                current = path
                check_target(path)
                real = _real(path)
                _sweep(real.parent)
                if _is_stream(real):
                    streams.append((real, data))
                else:
                    staged.append((_stage(real, data), real))
                held.stop_if_signalled()
            raise_if_stop_requested()
            check_replaceable([*(real for _, real in staged), *remove])  # Windows: none held open
            held.committing = committed = True  # from here on, finish: no half-old, half-new
            with replacing():
                for temp, real in staged:
                    current = real
                    temp.replace(real)
            for real, data in streams:
                current = real
                _write_through(real, data)
            for old in remove:
                with contextlib.suppress(FileNotFoundError):
                    old.unlink()
        except OSError as exc:
            _discard(staged)
            raise OutputError(f"{current}: could not write ({exc.strerror or exc})") from None
        except BaseException:
            _discard(staged)
            raise
        if held.signum is not None:
            late_signal = held.signum
    return [path for path, _ in files]


def _real(path: Path) -> Path:
    """`path` with its symlinks followed, so that a symlink named as output is kept."""
    return Path(os.path.realpath(path))


def _streams(mode: int) -> bool:
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _is_stream(path: Path) -> bool:
    try:
        return _streams(path.stat().st_mode)
    except OSError:
        return False


def _write_through(path: Path, data: bytes) -> None:
    """Write into a FIFO or device as `>` would; a FIFO nobody reads is an error, not a hang."""
    try:
        fd = open_stream(path)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"{path}: no program is reading from this FIFO") from None
        raise
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _stage(path: Path, data: bytes) -> Path:
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".kit-tmp", dir=path.parent
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temp, _ in staged:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    """Remove temporary files of ours whose process is gone (killed with SIGKILL)."""
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return
    for name in names:
        match = _TEMP.match(name)
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def _alive(pid: int) -> bool:
    return process_alive(pid)


class _Held:
    """Signals that arrived while held; see `_held_signals`."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.committing = False
        self.previous: dict[int, object] = {}

    def record(self, signum: int, frame: object) -> None:
        self.signum = signum

    def stop_if_signalled(self) -> None:
        """Act on a held signal as its usual handler would, unless the renames have begun."""
        if self.signum is None or self.committing:
            return
        signum, self.signum = self.signum, None
        handler = self.previous.get(signum, signal.SIG_DFL)
        if callable(handler):
            handler(signum, None)  # the CLI's and Python's handlers raise here
        elif handler == signal.SIG_DFL:
            raise KeyboardInterrupt


@contextlib.contextmanager
def _held_signals() -> Iterator[_Held]:
    """Hold SIGINT and SIGTERM between steps: each step finishes, then the signal acts.

    Signal handlers can only be set in the main thread; elsewhere nothing is held.
    """
    held = _Held()
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    held.previous = {s: signal.signal(s, held.record) for s in interrupt_signals()}
    try:
        yield held
    finally:
        for signum, handler in held.previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
