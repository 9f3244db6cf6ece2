"""What differs by platform, in one place: everything else in the kit is the same on Linux,
Windows and macOS.

The kit needs a handful of things that each operating system spells its own way: a lock
on the folder a build writes into, a bound on its own memory, files opened as bytes,
knowing whether a temporary file's process is still alive, whether a file can be
replaced right now, the interrupts a terminal sends, and the printer. Each is one small
function here; the modules that use them call it instead of `fcntl`, `resource`, `/proc`
or `lp`. A Windows branch is kept small and chosen by `sys.platform`; its logic lives in
functions that run anywhere (`replace_problem`, `kept_settings`, `page_box`, the job
object's layout), tested on Linux too, and a branch that can run on Linux as well is
chosen by a parameter (`process_alive(windows=)`, `memory_in_use(proc=)`).

Where the platform gives the kit no way to enforce a bound, the function says so (its
result is False) and the README's limits table says it too: macOS accepts `RLIMIT_AS`
but does not enforce it, so there the template watchdog's bound (`memory_in_use`) is the
one that holds.

Libraries, and why: `psutil` reads a process's memory and whether a process exists on
macOS and Windows (task_info, GetProcessMemoryInfo, OpenProcess), where the standard
library has no call for either and `os.kill(pid, 0)` would end the process on Windows.
The folder lock is a few lines of the standard library instead of `filelock`: on Linux
and macOS the kit locks the folder itself, leaving no lock file in a user's kit folder
(filelock's Unix lock leaves its file behind), and on Windows a delete-on-close file
locked with `msvcrt` vanishes even when the process is killed. Printing on Windows uses
`pywin32` (the spooler: the printer's settings and a device context) and `pypdfium2`
(PDFium, the renderer of Chrome and Edge, to draw each page onto that device context),
both Windows-only dependencies.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import OutputError, PrintError

WINDOWS = sys.platform == "win32"
MACOS = sys.platform == "darwin"
LINUX = sys.platform.startswith("linux")

Sides = Literal["one-sided", "two-sided-long-edge", "two-sided-short-edge"]


# --- Opening files -------------------------------------------------------------------


def _flags(*names: str) -> int:
    """The `os.O_*` flags of `names` that this platform has, or-ed together."""
    value = 0
    for name in names:
        value |= getattr(os, name, 0)
    return value


READ_FLAGS = os.O_RDONLY | _flags("O_BINARY", "O_NONBLOCK", "O_CLOEXEC", "O_NOINHERIT")
"""Reading a received file: bytes as they are (Windows' text mode would stop at 0x1A and
turn CR LF into LF), never blocking on a FIFO, not handed to child processes."""
NEW_FILE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_TRUNC
    | _flags("O_BINARY", "O_NOFOLLOW", "O_CLOEXEC", "O_NOINHERIT")
)
"""Writing a new private file (a cache entry): bytes as they are, never through a symlink."""
STREAM_FLAGS = os.O_WRONLY | _flags("O_BINARY", "O_NONBLOCK", "O_CLOEXEC", "O_NOINHERIT")
"""Writing into a FIFO or a device (`-o /dev/stdout`, `-o NUL`)."""


def open_stream(path: Path) -> int:
    """A file descriptor to write into the FIFO or device `path`, as `>` would open it.

    It is opened without blocking, so that a FIFO nobody reads fails at once (ENXIO)
    instead of hanging, then switched to blocking writes where the platform has both."""
    fd = os.open(path, STREAM_FLAGS)
    if getattr(os, "O_NONBLOCK", 0):
        os.set_blocking(fd, True)
    return fd


# --- One build at a time into a folder -----------------------------------------------

LOCK_NAME = ".fremfaerd-kit.lock"
"""On Windows only: the file a build holds locked in its folder (deleted when it ends)."""


@contextlib.contextmanager
def lock_folder(folder: Path) -> Iterator[bool]:
    """Hold `folder` for one build: yields True, or False when another process holds it.

    Linux and macOS lock the folder itself (`flock`), so nothing is left in it. Windows
    cannot open a folder as a file: there a file in it (`LOCK_NAME`) is opened delete-on-close
    and its first byte locked, so it disappears however the build ends. Elsewhere (no
    `fcntl`, no `msvcrt`) nothing is locked."""
    if sys.platform != "win32":
        try:
            import fcntl
        except ImportError:  # a platform with neither lock: builds are not kept apart
            yield True
            return
        fd = os.open(folder, os.O_RDONLY | _flags("O_CLOEXEC"))
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
            except BlockingIOError:
                held = False
            yield held
        finally:
            os.close(fd)  # and with it the lock
        return
    import msvcrt

    try:
        fd = os.open(
            folder / LOCK_NAME,
            os.O_RDWR | os.O_CREAT | os.O_TEMPORARY | os.O_BINARY | os.O_NOINHERIT,
        )
    except PermissionError:  # a build that has just ended is deleting its lock file
        fd = None
        held = False
    except OSError:  # no lock file here: the writes themselves will say why
        fd = None
        held = True
    if fd is None:
        yield held
        return
    try:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            held = True
        except OSError:
            held = False
        try:
            yield held
        finally:
            if held:  # unlocked before the close: Windows may release a closed lock late
                with contextlib.suppress(OSError):
                    os.lseek(fd, 0, os.SEEK_SET)
                    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)  # the last handle: Windows deletes the file


# --- Memory ----------------------------------------------------------------------------


def cap_memory(limit: int) -> bool:
    """Bound this process's memory to `limit` bytes; whether the platform enforces it.

    Linux: the address space (`RLIMIT_AS`), never above a lower limit already set.
    Windows: a job object's per-process commit limit. macOS: not enforced (it accepts
    `RLIMIT_AS` and ignores it); the template watchdog still bounds what a template adds.
    In each case an allocation past the bound fails as `MemoryError`."""
    if sys.platform == "win32":
        return _job_memory_limit(limit)
    if sys.platform == "darwin":
        return False
    try:
        import resource
    except ImportError:  # a POSIX without it: nothing to set
        return False
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > limit:
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        except (OSError, ValueError):
            return False
    return True


@functools.cache
def _job_types() -> tuple[Any, Any]:
    """JOBOBJECT_BASIC_ and _EXTENDED_LIMIT_INFORMATION (winnt.h), 64 and 144 bytes on
    64-bit Windows; made on first use, so that no other start of the kit imports ctypes."""
    import ctypes

    counters = [(name, ctypes.c_uint64) for name in (
        "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
        "ReadTransferCount", "WriteTransferCount", "OtherTransferCount",
    )]  # fmt: skip
    io_counters = type("IoCounters", (ctypes.Structure,), {"_fields_": counters})
    basic = type("BasicLimits", (ctypes.Structure,), {"_fields_": [
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", ctypes.c_uint32),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", ctypes.c_uint32),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", ctypes.c_uint32),
        ("SchedulingClass", ctypes.c_uint32),
    ]})  # fmt: skip
    extended = type("ExtendedLimits", (ctypes.Structure,), {"_fields_": [
        ("BasicLimitInformation", basic),
        ("IoInfo", io_counters),
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    ]})  # fmt: skip
    return basic, extended


_JOB_LIMIT_PROCESS_MEMORY = 0x100
_JOB_EXTENDED_LIMITS = 9
_jobs: list[int] = []
"""The job objects this process put itself in: open as long as the process lives."""


def _memory_limits(limit: int) -> Any:
    """The limits that bound each process of a job to `limit` bytes of committed memory."""
    info = _job_types()[1]()
    info.BasicLimitInformation.LimitFlags = _JOB_LIMIT_PROCESS_MEMORY
    info.ProcessMemoryLimit = limit
    return info


def _job_memory_limit(limit: int) -> bool:
    """Put this process in a job object whose processes may commit at most `limit` bytes
    (Windows 8 and later allow a job inside the job a terminal may have started us in)."""
    if sys.platform != "win32":
        return False
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateJobObjectW.restype = ctypes.c_void_p
    kernel32.GetCurrentProcess.restype = ctypes.c_void_p
    kernel32.SetInformationJobObject.argtypes = [
        ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32,
    ]  # fmt: skip
    kernel32.AssignProcessToJobObject.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        return False
    info = _memory_limits(limit)
    if not kernel32.SetInformationJobObject(
        job, _JOB_EXTENDED_LIMITS, ctypes.byref(info), ctypes.sizeof(info)
    ) or not kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess()):
        kernel32.CloseHandle(ctypes.c_void_p(job))
        return False
    _jobs.append(job)
    return True


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_process: Any = None


def memory_in_use(*, proc: bool = LINUX) -> int:
    """This process's resident memory in bytes (0 where it cannot be read).

    Linux: `/proc/self/statm`, a read of a few bytes. Elsewhere psutil (macOS's
    task_info, Windows' working set), imported on first use."""
    global _process
    if proc:
        try:
            return int(Path("/proc/self/statm").read_bytes().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0
    try:
        if _process is None:
            import psutil

            _process = psutil.Process()
        return int(_process.memory_info().rss)
    except Exception:  # no psutil, or the platform refused: the bound is not checked
        return 0


# --- Temporary files of processes that were killed ------------------------------------


def process_alive(pid: int, *, windows: bool = WINDOWS) -> bool:
    """Whether a process `pid` exists (a temporary file named after it is still in use).

    POSIX: signal 0, which only checks. Windows has no such signal: `os.kill` there ends
    the process, so psutil asks the system (OpenProcess) instead."""
    if windows:
        try:
            import psutil
        except ImportError:  # cannot tell: keep the file (a later sweep removes it)
            return True
        return bool(psutil.pid_exists(pid))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- Replacing files all or nothing ---------------------------------------------------

_SHARING_VIOLATION = 32
_LOCK_VIOLATION = 33
_ACCESS_DENIED = 5
_READONLY_ATTRIBUTE = 0x1


def _why_not_replaceable(path: Path) -> str | None:
    """Why Windows would refuse to rename over `path` now, or None (it would not).

    A rename over a file needs to open it for deletion; another program that has it
    open (Acrobat, Word, Edge, OneDrive while it syncs) and did not allow that makes the
    open fail with a sharing violation. Opening it for deletion, sharing everything,
    asks exactly that question, and changes nothing."""
    try:
        attributes = getattr(os.lstat(path), "st_file_attributes", 0)
    except OSError:
        return None  # not there: nothing to replace
    if attributes & _READONLY_ATTRIBUTE:
        return "read-only"
    if sys.platform != "win32":
        return None
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateFileW.restype = ctypes.c_void_p
    kernel32.CreateFileW.argtypes = [
        ctypes.c_wchar_p, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p,
        ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p,
    ]  # fmt: skip
    delete, share_all, open_existing, normal = 0x00010000, 0x7, 3, 0x80
    handle = kernel32.CreateFileW(str(path), delete, share_all, None, open_existing, normal, None)
    if handle is None or handle == ctypes.c_void_p(-1).value:
        return _held_reason(ctypes.get_last_error())
    kernel32.CloseHandle(ctypes.c_void_p(handle))
    return None


def _held_reason(error: int) -> str | None:
    """What a failed exclusive open of an existing file means for replacing it."""
    if error in (_SHARING_VIOLATION, _LOCK_VIOLATION):
        return "open"
    if error == _ACCESS_DENIED:
        return "denied"
    return None  # anything else: the rename itself will say


def replace_problem(reasons: Sequence[tuple[Path, str]]) -> str:
    """One line that names every file that cannot be replaced and what to do."""
    opened = [path for path, why in reasons if why == "open"]
    others = [(path, why) for path, why in reasons if why != "open"]
    parts = []
    if opened:
        names = " and ".join(p.name for p in opened)
        where = ", ".join(str(p) for p in opened)
        verb = "is" if len(opened) == 1 else "are"
        parts.append(
            f"{where}: {verb} open in another program (a PDF viewer, Word, a browser, "
            f"or OneDrive syncing it); close {names} and run again"
        )
    for path, why in others:
        if why == "read-only":
            parts.append(f"{path}: is read-only; clear Read-only in its Properties and run again")
        else:
            parts.append(f"{path}: Windows does not let the kit replace it (access denied)")
    return "; ".join(parts) + "; nothing was changed"


def check_replaceable(paths: Iterable[Path]) -> None:
    """`OutputError` naming every file of `paths` that cannot be replaced right now.

    Called before the first rename of an all-or-nothing write: on Windows a file another
    program holds open cannot be renamed over, and finding that out midway would leave
    half the files new. Linux and macOS replace an open file as they would any other."""
    if sys.platform != "win32":
        return
    reasons = [(path, why) for path in paths if (why := _why_not_replaceable(path)) is not None]
    if reasons:
        raise OutputError(replace_problem(reasons))


_replacing = threading.Lock()


@contextlib.contextmanager
def replacing() -> Iterator[None]:
    """Held while files are renamed into place: a console closed meanwhile waits for it."""
    with _replacing:
        yield


# --- Interrupts ------------------------------------------------------------------------


def interrupt_signals() -> tuple[int, ...]:
    """The signals that ask the kit to stop: Ctrl-C and `kill` everywhere; Ctrl-Break on
    Windows; on Linux and macOS the terminal closing (SIGHUP), unless it is ignored
    (`nohup`), which then stays so."""
    found = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGBREAK"):
        found.append(signal.SIGBREAK)
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        found.append(signal.SIGHUP)
    return tuple(found)


_console_handlers: list[object] = []
"""The console handler passed to Windows: kept, or the callback would be freed."""
_CLOSE_EVENTS = (2, 5, 6)  # CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT
_CLOSE_GRACE = 4.5
"""Seconds a closed console waits for the renames: Windows ends the process after 5."""


def _on_console_event(event: int) -> int:
    """Windows calls this in a thread of its own; the process ends when it returns."""
    if event in _CLOSE_EVENTS and _replacing.acquire(timeout=_CLOSE_GRACE):
        _replacing.release()
    return 0  # not handled: the next handler (Python's, then the default) runs


def on_interrupt(handler: Callable[[int, Any], None]) -> None:
    """Call `handler` on every interrupt the platform has (`interrupt_signals`).

    On Windows a console that is closed (or a logoff, a shutdown) does not wait for
    Python's signal handler; the handler added here holds the process until files that
    are being renamed into place are all in place, so a kit is never half new."""
    for signum in interrupt_signals():
        signal.signal(signum, handler)
    if sys.platform == "win32" and not _console_handlers:
        import ctypes

        routine = ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_uint32)(_on_console_event)
        if ctypes.windll.kernel32.SetConsoleCtrlHandler(routine, 1):
            _console_handlers.append(routine)


# --- Printing --------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintJob:
    """A job the printing system accepted."""

    job_id: str
    printer: str | None
    command: tuple[str, ...]
    settings: str = ""
    """What was set on the job, in words (Windows: what the printer's driver kept)."""


def print_file(
    path: Path,
    *,
    printer: str | None,
    copies: int,
    sides: Sides,
    media: str,
    title: str | None,
) -> PrintJob:
    """Send the PDF `path` to `printer` (None: the default printer).

    Linux and macOS: CUPS's `lp`, which both have. Windows: the spooler, with the job's
    copies, two-sided printing and paper set in its device settings."""
    if sys.platform == "win32":
        return _print_windows(path, printer, copies, sides, media, title)
    return _print_lp(path, printer, copies, sides, media, title)


def _lp_missing(path: Path) -> str:
    if MACOS:
        return (
            "cannot print: the `lp` command is missing (it is part of macOS; is /usr/bin on "
            f"PATH?); the PDF is written at {path}"
        )
    return (
        "cannot print: the `lp` command is missing (Debian, Ubuntu: sudo apt-get install "
        f"cups-client); the PDF is written at {path}"
    )


def _print_lp(
    path: Path, printer: str | None, copies: int, sides: Sides, media: str, title: str | None
) -> PrintJob:
    import re
    import shutil
    import subprocess

    if shutil.which("lp") is None:
        raise PrintError(_lp_missing(path))
    command = ["lp", "-n", str(copies), "-o", f"sides={sides}", "-o", f"media={media}"]
    if printer:
        command += ["-d", printer]
    if title:
        command += ["-t", title]
    command.append(str(path))
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(f"cannot print: {exc}; the PDF is written at {path}") from None
    if done.returncode != 0:
        reason = " ".join((done.stderr or done.stdout).split()) or f"lp exited {done.returncode}"
        raise PrintError(
            f"the printer did not take the job ({reason}); the PDF is written at {path}"
        )
    match = re.search(r"request id is (\S+)", done.stdout)
    return PrintJob(match.group(1) if match else "", printer, tuple(command))


PRINTER_NAME = r"[^\x00-\x1f\x7f,!]{1,220}" if WINDOWS else r"[A-Za-z0-9_.@-]{1,127}"
"""A printer's name: Windows shows names with spaces and brackets (`HP LaserJet (Kontor)`,
`\\\\server\\Printer`) and forbids only `,` and `!`; a CUPS queue is letters, digits and
`_ . @ -`."""
PRINTER_NAME_HINT = (
    "use the printer's name as Windows shows it (Settings > Bluetooth & devices > Printers "
    "& scanners)"
    if WINDOWS
    else "use the CUPS queue's name, as `lpstat -p` shows it (letters, digits, _ . @ -)"
)


# The spooler's device settings (wingdi.h).
_DM_COPIES, _DM_COLLATE, _DM_DUPLEX, _DM_PAPERSIZE = 0x100, 0x8000, 0x1000, 0x2
_DUPLEX = {"one-sided": 1, "two-sided-long-edge": 2, "two-sided-short-edge": 3}
"""DMDUP_SIMPLEX, DMDUP_VERTICAL (flip on the long edge), DMDUP_HORIZONTAL (short edge)."""
_PAPER = {"A4": 9, "Letter": 1}
"""DMPAPER_A4, DMPAPER_LETTER: the kit's paper sizes."""
_DPI = 300
"""Pages are drawn at the printer's resolution up to this: sharp text, a spool file of
about 25 MB a page (at 600 dpi it would be four times that)."""


def wanted_settings(copies: int, sides: Sides, media: str) -> dict[str, int]:
    """The device settings (DEVMODE fields) that ask for the job the kit wants."""
    return {
        "Copies": copies,
        "Collate": 1,  # whole sets one after the other: a set of cards per group
        "Duplex": _DUPLEX[sides],
        "PaperSize": _PAPER.get(media, _PAPER["A4"]),
        "Fields": _DM_COPIES | _DM_COLLATE | _DM_DUPLEX | _DM_PAPERSIZE,
    }


def kept_settings(
    wanted: dict[str, int], kept: dict[str, int], media: str
) -> tuple[str, str | None]:
    """What the driver kept of `wanted` in words, and why the job cannot print as asked
    (None: it can). A driver resets what the printer cannot do; copies it cannot make are
    made by the kit, so only two-sided printing and paper can be missing."""
    said = [f"{wanted['Copies']} cop{'y' if wanted['Copies'] == 1 else 'ies'}"]
    sides = {v: k for k, v in _DUPLEX.items()}[wanted["Duplex"]]
    if kept.get("Duplex") != wanted["Duplex"] and wanted["Duplex"] != _DUPLEX["one-sided"]:
        return "", (
            "the printer's driver offers no two-sided printing; print two-sided on another "
            "printer, or print with --backs fold (fronts and backs side by side)"
        )
    said.append(sides)
    if kept.get("PaperSize") != wanted["PaperSize"]:
        return "", f"the printer's driver does not offer {media} paper; choose --paper"
    said.append(media)
    return ", ".join(said), None


def page_box(
    width_pt: float, height_pt: float, dpi: tuple[int, int], offset: tuple[int, int]
) -> tuple[int, int, int, int]:
    """Where a PDF page lands on the printer's device context, in device units: at its
    true size from the paper's corner (the device's origin is the printable area's,
    `offset` inside the paper), never scaled to fit, so that backs meet their fronts."""
    x0, y0 = -offset[0], -offset[1]
    return (
        x0,
        y0,
        x0 + round(width_pt / 72 * dpi[0]),
        y0 + round(height_pt / 72 * dpi[1]),
    )


def page_images(path: Path, dpi: int) -> Generator[tuple[Any, float, float], None, None]:
    """Each page of the PDF `path` as an image at `dpi` (at most `_DPI`), with its width
    and height in points: what the Windows spooler is sent, drawn by PDFium."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
                yield page.render(scale=min(dpi, _DPI) / 72).to_pil(), width, height
            finally:
                page.close()
    finally:
        document.close()


def _print_windows(
    path: Path, printer: str | None, copies: int, sides: Sides, media: str, title: str | None
) -> PrintJob:  # pragma: no cover - runs on Windows only
    if sys.platform != "win32":
        raise PrintError("the Windows spooler is on Windows only")
    try:  # each missing one is said here, before a job is started
        import pypdfium2  # noqa: F401
        import pywintypes
        import win32con  # noqa: F401
        import win32gui  # noqa: F401
        import win32print
        import win32ui
        from PIL import ImageWin  # noqa: F401
    except ImportError as exc:
        raise PrintError(
            f"cannot print: {exc.name} is missing (reinstall the kit: pipx reinstall "
            f"fremfaerd-kit); the PDF is written at {path}"
        ) from None
    written = f"the PDF is written at {path}"
    try:
        name = printer or win32print.GetDefaultPrinter()
    except pywintypes.error:
        raise PrintError(f"cannot print: Windows has no default printer; {written}") from None
    try:
        handle = win32print.OpenPrinter(name)
    except pywintypes.error:
        scope = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
        known = ", ".join(p[2] for p in win32print.EnumPrinters(scope)) or "none"
        raise PrintError(
            f"cannot print: no printer called {name!r} (Windows has: {known}); {written}"
        ) from None
    try:
        return _spool(path, name, handle, copies, sides, media, title)
    except (pywintypes.error, win32ui.error) as exc:
        raise PrintError(f"{name} did not take the job ({exc}); {written}") from None


def _spool(
    path: Path, name: str, handle: Any, copies: int, sides: Sides, media: str, title: str | None
) -> PrintJob:  # pragma: no cover - runs on Windows only
    """Set the job's device settings on printer `name` (open as `handle`) and send every
    page; a Windows error is raised as it comes (the caller words it)."""
    if sys.platform != "win32":
        raise PrintError("the Windows spooler is on Windows only")
    import win32con
    import win32gui
    import win32print
    import win32ui
    from PIL import ImageWin

    written = f"the PDF is written at {path}"
    wanted = wanted_settings(copies, sides, media)
    try:
        devmode = win32print.GetPrinter(handle, 2)["pDevMode"]
        if devmode is None:
            raise PrintError(f"cannot print on {name}: its driver gives no settings; {written}")
        for field, value in wanted.items():
            setattr(devmode, field, devmode.Fields | value if field == "Fields" else value)
        # The driver merges what it can do into the settings and resets what it cannot.
        win32print.DocumentProperties(
            0, handle, name, devmode, devmode, win32con.DM_IN_BUFFER | win32con.DM_OUT_BUFFER
        )
    finally:
        win32print.ClosePrinter(handle)
    kept = {field: int(getattr(devmode, field)) for field in wanted}
    settings, problem = kept_settings(wanted, kept, media)
    if problem:
        raise PrintError(f"cannot print on {name}: {problem}; {written}")
    sets = 1
    if copies > 1 and (kept["Copies"] != copies or kept["Collate"] != 1):
        devmode.Copies, sets = 1, copies  # the driver cannot make collated sets: the kit does
    context = win32ui.CreateDCFromHandle(win32gui.CreateDC("WINSPOOL", name, devmode))
    try:
        caps = context.GetDeviceCaps
        dpi = (caps(win32con.LOGPIXELSX), caps(win32con.LOGPIXELSY))
        offset = (caps(win32con.PHYSICALOFFSETX), caps(win32con.PHYSICALOFFSETY))
        job = context.StartDoc(title or path.name)
        try:
            for _ in range(sets):  # one set at a time: a page's image is made, sent, let go
                pages = 0
                # Closed however the job ends: Windows cannot delete a file PDFium holds open.
                with contextlib.closing(page_images(path, dpi[0])) as images:
                    for image, width, height in images:
                        context.StartPage()
                        box = page_box(width, height, dpi, offset)
                        ImageWin.Dib(image).draw(context.GetHandleOutput(), box)
                        context.EndPage()
                        pages += 1
                if sets > 1 and sides != "one-sided" and pages % 2:
                    context.StartPage()  # the next set starts on a sheet of its own
                    context.EndPage()
            context.EndDoc()
        except BaseException:
            with contextlib.suppress(Exception):
                context.AbortDoc()  # nothing half-printed is left in the queue
            raise
    finally:
        context.DeleteDC()
    return PrintJob(str(job), name, ("spooler", name), settings)
