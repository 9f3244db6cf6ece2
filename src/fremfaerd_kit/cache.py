"""What the kit has read before, kept between runs: the content library (read, parsed and
validated), ReportLab's reading of the fonts, and the print settings. A command that
prints then starts from them instead of reading every file again, and never imports
pydantic or PyYAML to do it.

An entry is found by a digest of everything its reading depends on: the kit's own code
(each module's name, size and time, so an upgrade or an edit of the kit is a new key),
Python's and ReportLab's versions, and the files' names and bytes. Content files are still
read through the reading gate on every run (a regular file, inside its folder, within its
size) to compute the digest; a file that changed is a different digest, so a stale entry
is never used. Only a library read without a single problem is kept.

Entries live in the user's cache folder (platformdirs: `~/.cache/fremfaerd-kit/` on
Linux, honouring `XDG_CACHE_HOME`); `FREMFAERD_KIT_NO_CACHE=1` turns the cache off.

The cache is an input like any file someone sends, and is read as the reading gate reads
one (`intake.py`): an entry is opened without blocking and without following a symlink,
and read only if it is then a regular file, belongs to the user running the kit, may be
written by no one else, and is no larger than `MAX_BYTES` as read. The kit's folders
(`fremfaerd-kit/` and one for each kind of entry) must be the user's own, no symlink, and
writable by no group or others; the kit makes them so, and if one is not, the cache is not
used in that run and the kit says so once (`kit: note:`). Each entry carries a digest of
its key and its bytes, written with it: a damaged, truncated or edited entry, or one
moved to another key, is a miss, read afresh and replaced. (The digest is no signature:
whoever may write the folder may write an entry as the kit does, which is why the folder
must be the user's alone.) What a good entry holds is
built by an unpickler that makes only the kit's content classes, ReportLab's font names
and plain data (a tampered one cannot run code), and is then checked against what the
caller expects (`recall`'s `expect`, mostly `conform.conforms`): the kit's classes with
wrong values in them are a miss too, never a crash or a printed card. Any fault while
reading an entry is a miss; a cache folder that cannot be written costs nothing but the
time saved. Entries are written to a new file of mode 0600 that is then renamed into
place, so a planted symlink is replaced, never followed.

On Windows, which has no owners and modes of this kind, the folder under the user's
profile is trusted as the user's, and compiled templates are not read from it.

Compiled templates are the one kind of entry that is code (`recall_code`): Jinja's
compilation of a template, kept as Python keeps a module's `.pyc` and trusted as Jinja's
own bytecode cache trusts its folder, on the checks above.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import pickle
import secrets
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
from types import CodeType
from typing import Any

FORMAT = 2
"""Bumped whenever what an entry holds changes shape (2: the digest before the bytes)."""
MAX_ENTRIES = 8
"""Entries kept of each kind (the built-in library, with and without a few content folders)."""
MAX_BYTES = 64 * 1024 * 1024
"""Largest entry written or read: a 40,000-card deck is well under it."""
_ALLOWED = {
    "builtins": {"set", "frozenset"},
    "pathlib": {"PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath", "Path"},
    "fremfaerd_kit.library": {"Library"},
    "fremfaerd_kit.readers.source": {"SourceFile"},
    "reportlab.pdfbase.ttfonts": {"TTFNameBytes"},
}
"""What an entry may name besides the content classes of `fremfaerd_kit.model`."""
_MAGIC = b"fremfaerd-kit cache\n"
_SEAL = hashlib.sha256().digest_size
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_COMMON = getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | _NOFOLLOW
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _COMMON
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _COMMON
_geteuid: Callable[[], int] | None = getattr(os, "geteuid", None)
"""Who runs the kit; None where files have no owners of this kind (Windows)."""
_trusted: set[Path] = set()
"""The kit's folders checked in this run and found the user's alone."""
_refused: set[Path] = set()
"""Cache folders not used in this run: one of the kit's folders in it failed the check."""


def folder(kind: str) -> Path | None:
    """Where entries of `kind` are kept, or None when the cache is off."""
    if os.environ.get("FREMFAERD_KIT_NO_CACHE"):
        return None
    from platformdirs import user_cache_path

    root = user_cache_path("fremfaerd-kit", appauthor=False)
    return None if root in _refused else root / kind


@cache
def _code() -> bytes:
    whole = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{sys.platform}\0".encode())
    package = Path(__file__).parent
    for module in sorted(package.rglob("*.py")):
        info = module.stat()
        whole.update(
            f"{module.relative_to(package)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode()
        )
    return whole.digest()


def stamp(*paths: Path) -> str:
    """What changes when one of `paths` is replaced: its size and time of change."""
    return " ".join(f"{info.st_size}:{info.st_mtime_ns}" for info in map(Path.stat, paths))


def digest(*parts: str | bytes) -> str:
    """The key of an entry: the kit's code and Python, then `parts` (names, bytes)."""
    whole = hashlib.sha256(_code())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        whole.update(hashlib.sha256(data).digest())
    return whole.hexdigest()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        from . import model

        content = module == "fremfaerd_kit.model" and isinstance(getattr(model, name, None), type)
        if content or name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not the kit's")


# --- the folders -------------------------------------------------------------------------


def _where(kind: str, *, make: bool = False) -> Path | None:
    """The folder of `kind`, if it and the rest of the kit's folders are the user's alone
    (made so when `make` and missing), else None: missing, unusable, or refused for the
    run (all of the cache at once, whichever kinds the command needs)."""
    where = folder(kind)
    if where is None:
        return None
    root = where.parent
    try:
        for level in (root, where):  # the kit's folder first: nothing is made in a refused one
            if level not in _trusted:
                if make and not os.path.lexists(level):
                    _make(level)
                _check(level, scan=level == root)
    except _Refused as refused:
        _refuse(root, *refused.args)
        return None
    except OSError:  # missing, or under a file: nothing kept, nothing to say
        return None
    return where


class _Refused(Exception):
    """A folder of the kit's that someone else may have written to (the folder, why)."""


def _check(level: Path, *, scan: bool = False) -> None:
    """Trust `level`, a folder of the kit's, or raise `_Refused`; with `scan` (the kit's
    own folder, the first time it is looked at), every folder in it too."""
    info = os.lstat(level)
    why = _untrusted(info)
    if why is not None:
        raise _Refused(level, why)
    if not S_ISDIR(info.st_mode):
        raise NotADirectoryError(level)
    if scan:
        for inner in os.scandir(level):
            if inner.is_dir() or inner.is_symlink():  # what a kind of entry would be kept in
                _check(Path(inner.path))
    _trusted.add(level)


def _make(level: Path) -> None:
    """Make `level` and whichever of its parents are missing, each for the user alone
    (`Path.mkdir(parents=True)` would make the parents as the umask says: often
    group-writable)."""
    missing = []
    while not os.path.lexists(level) and level.parent != level:
        missing.append(level)
        level = level.parent
    for path in reversed(missing):
        with suppress(FileExistsError):  # another run of the kit made it just now: checked next
            path.mkdir(mode=0o700)


def _untrusted(info: os.stat_result) -> str | None:
    """Why a folder of the kit's, as `lstat` found it, may hold what someone else wrote."""
    if S_ISLNK(info.st_mode):
        return "is a symlink"
    if _geteuid is None:
        return None  # no owners and modes to check: the folder is under the user's profile
    if info.st_uid != _geteuid():
        return f"belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"may be written by its group or others (mode {info.st_mode & 0o7777:o})"
    return None


def _refuse(root: Path, level: Path, why: str) -> None:
    """Stop using the cache in `root` for this run, and say why (once: nothing else of it
    is looked at)."""
    _refused.add(root)
    with suppress(OSError, ValueError):  # no standard error to say it on: the run goes on
        print(
            f"kit: note: the cache is not used: {level} {why}; delete it and the kit "
            "makes it again, for you alone",
            file=sys.stderr,
            flush=True,
        )


def _private(info: os.stat_result) -> bool:
    """An entry, as `fstat` found it once open, is the user's and no one else may write it."""
    if _geteuid is None:
        return True
    return info.st_uid == _geteuid() and not info.st_mode & 0o022


# --- entries -----------------------------------------------------------------------------


def _read(kind: str, key: str, suffix: str) -> bytes | None:
    """What was kept of `kind` under `key`, its digest checked and removed, or None."""
    where = _where(kind)
    if where is None:
        return None
    raw = _entry(where / f"{key}{suffix}")
    if raw is None or not raw.startswith(_MAGIC):
        return None
    seal, data = raw[len(_MAGIC) : len(_MAGIC) + _SEAL], raw[len(_MAGIC) + _SEAL :]
    return data if seal == _seal(key, data) else None


def _seal(key: str, data: bytes) -> bytes:
    return hashlib.sha256(key.encode() + b"\0" + data).digest()


def _entry(entry: Path) -> bytes | None:
    """The bytes of `entry` as the reading gate reads a file: a FIFO, device, socket or
    symlink (to `/dev/zero`, say) is never opened or read, nor is what is not the user's."""
    try:
        if not S_ISREG(os.lstat(entry).st_mode):
            return None  # not even opened: opening a device can do things
        fd = os.open(entry, _READ)
    except OSError:
        return None
    try:
        info = os.fstat(fd)  # what was opened, whatever the name led to since the lstat
        if not S_ISREG(info.st_mode) or not _private(info) or info.st_size > MAX_BYTES:
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(MAX_BYTES + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            return None
        with suppress(OSError):  # recently used: kept longest (a read-only cache is read still)
            os.utime(fd if os.utime in os.supports_fd else entry)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _write(kind: str, key: str, suffix: str, data: bytes, entries: int) -> None:
    """Keep `data` under `key`, best effort: a cache that cannot be written is no error."""
    if len(data) > MAX_BYTES:
        return
    where = _where(kind, make=True)
    if where is None:
        return
    entry = where / f"{key}{suffix}"
    temporary = where / f".{key}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(temporary, _NEW_FILE, 0o600)  # a new file: never one planted there
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + _seal(key, data) + data)
        temporary.replace(entry)  # replaces a FIFO or symlink of that name, not its target
        _prune(where, entry, entries)
    except OSError:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)


def recall(kind: str, key: str, expect: Callable[[Any], bool]) -> Any | None:
    """What was kept of `kind` under `key`, or None: missing, damaged, or not what `expect`
    (the caller's check of the value) accepts."""
    raw = _read(kind, key, ".pickle")
    if raw is None:
        return None
    try:
        found = _Unpickler(io.BytesIO(raw)).load()
        if type(found) is tuple and len(found) == 2 and found[0] == key and expect(found[1]):
            return found[1]
    except Exception:  # damaged, foreign or bent out of shape: the caller reads afresh
        pass
    return None


def keep(kind: str, key: str, value: Any) -> None:
    """Keep `value` under `key`, best effort: a cache that cannot be written is no error."""
    try:
        data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, RecursionError):
        return
    _write(kind, key, ".pickle", data, MAX_ENTRIES)


def recall_code(kind: str, key: str) -> CodeType | None:
    """Compiled code kept of `kind` under `key`, from a folder only this user may write."""
    if _geteuid is None:
        return None  # no owners to check: code is not read from the cache
    raw = _read(kind, key, ".code")
    if raw is None:
        return None
    try:
        code = marshal.loads(raw)
    except Exception:
        return None
    return code if isinstance(code, CodeType) else None


def keep_code(kind: str, key: str, code: CodeType, entries: int = MAX_ENTRIES) -> None:
    """Keep compiled `code` under `key` (in a folder only this user may write)."""
    if _geteuid is not None:
        _write(kind, key, ".code", marshal.dumps(code), entries)


def _prune(where: Path, newest: Path, entries: int) -> None:
    """Keep the most recently used entries (`newest` among them, whatever the clock's
    resolution); sweep what a killed run left half-written."""
    others = []
    for path in where.glob("*" + newest.suffix):
        try:
            if path != newest:
                others.append((os.lstat(path).st_mtime_ns, path))
        except OSError:  # removed by another run of the kit meanwhile
            continue
    others.sort(reverse=True)
    hour_ago = time.time() - 3600
    left = [p for p in where.glob(".*.tmp") if os.lstat(p).st_mtime < hour_ago]
    for _, old in others[entries - 1 :]:
        old.unlink(missing_ok=True)
    for path in left:
        path.unlink(missing_ok=True)
