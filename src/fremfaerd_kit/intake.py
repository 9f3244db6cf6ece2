"""The one reading gate: every file the kit reads on someone's behalf comes through here.

A kit file, a deck, a spreadsheet, a logo or a template someone sends you may be a FIFO
that never ends, a symlink to `/dev/zero` (whose size says 0), a symlink leading out of
the kit's folder or round in a loop, or simply far too large. So a file is opened without
blocking, checked to be a regular file *after* opening (no race between a check and the
read), read up to its limit plus one byte (size as read, not as `stat` says), and
remembered by device and inode, so that no output can later be written over an input.
Anything else comes out as a located problem, never as a hang or an exception.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import ContentError, Location, Problem
from .oskit import READ_FLAGS

MB = 1024 * 1024
TEXT_LIMIT = 16 * MB
"""Content and kit files: a 40,000-card deck is about 6 MB of YAML."""
TEMPLATE_LIMIT = 1 * MB
IMAGE_LIMIT = 10 * MB

_read: set[tuple[int, int]] = set()
"""(device, inode) of every file read in this process: outputs must not land on one."""


def fail(path: Path | str, message: str, line: int | None = None) -> ContentError:
    """A `ContentError` with one problem at `path`."""
    return ContentError([Problem(Location(path, line), message)])


def resolve_inside(path: Path, inside: Path | None, shown: Path | str | None = None) -> Path:
    """`path` with its symlinks resolved, which must exist and lie within `inside`."""
    shown = path if shown is None else shown
    if "\0" in str(path):  # no file system can name it; Python raises ValueError for it
        raise fail(shown, "contains a NUL byte, which no file name can hold")
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise fail(shown, "no such file") from None
    except RuntimeError:  # Python before 3.13 reports a symlink loop so
        raise fail(shown, "is a symlink loop") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise fail(shown, "is a symlink loop") from None
        raise fail(shown, f"cannot be read ({exc.strerror})") from None
    if inside is not None:
        root = inside.resolve()
        if not real.is_relative_to(root):
            raise fail(shown, f"leads outside {root} (to {real}); only files inside it are read")
    return real


def read_bytes(
    path: Path,
    *,
    limit: int = TEXT_LIMIT,
    inside: Path | None = None,
    what: str = "file",
    remember: bool = True,
) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes within `inside`.

    `remember`: count it as an input, which no output may then replace."""
    real = resolve_inside(path, inside, path)
    try:
        fd = os.open(real, READ_FLAGS)  # bytes as they are, never blocking (oskit)
    except IsADirectoryError:
        raise fail(path, f"is a folder, not a {what}") from None
    except PermissionError:
        raise fail(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise fail(path, f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise fail(path, f"is a folder, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise fail(path, f"is {_kind(info.st_mode)}, not a regular file; only files are read")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, MB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise fail(path, f"is larger than {_megabytes(limit)}, the most a {what} may be")
        if remember:
            _read.add((info.st_dev, info.st_ino))
        return b"".join(chunks)
    except OSError as exc:
        raise fail(path, f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)


def was_read(path: Path) -> bool:
    """Whether `path` (following symlinks) is a file this process has read as input."""
    try:
        info = path.stat()
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in _read


MAX_FILES = 1000
"""Content files under one folder: the built-in library has 21."""
MAX_ENTRIES = 20_000
"""Entries looked at under one folder, so that `--content /` stops at once."""


def files_under(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files with `suffixes` under the folder `root`, sorted; symlinked folders are not
    entered (a loop would never end), symlinked files are left to `read_bytes` to check.
    Hidden files and folders are skipped."""
    found: list[Path] = []
    seen = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        seen += len(dirs) + len(names)
        if seen > MAX_ENTRIES:
            raise fail(root, f"holds more than {MAX_ENTRIES:,} files and folders; "
                       "give the folder with your content only")  # fmt: skip
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(suffixes) and not name.startswith("."):
                found.append(Path(folder) / name)
        if len(found) > MAX_FILES:
            raise fail(root, f"holds more than {MAX_FILES:,} content files; "
                       "give the folder with your content only")  # fmt: skip
    return found


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _megabytes(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit // 1024} kB"
