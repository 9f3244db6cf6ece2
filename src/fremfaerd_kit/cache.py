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
Linux, honouring `XDG_CACHE_HOME`); `FREMFAERD_KIT_NO_CACHE=1` turns the cache off. They
are pickles read by an unpickler that builds only the kit's content classes, ReportLab's
font names and plain data, so even a tampered entry cannot run code; an entry that cannot
be read for any reason is ignored and replaced. A cache folder that cannot be written
costs nothing but the time saved.

Compiled templates are the one kind of entry that is code (`recall_code`): Jinja's
compilation of a template, kept as Python keeps a module's `.pyc`. They are trusted as
Jinja's own bytecode cache trusts its folder: only when the folder and the entry belong to
the user running the kit and no one else may write them (otherwise the template is
compiled again, and nothing is kept).
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import pickle
import sys
import time
from functools import cache
from pathlib import Path
from stat import S_ISLNK
from types import CodeType
from typing import Any

FORMAT = 1
"""Bumped whenever what an entry holds changes shape."""
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
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)


def folder(kind: str) -> Path | None:
    """Where entries of `kind` are kept, or None when the cache is off."""
    if os.environ.get("FREMFAERD_KIT_NO_CACHE"):
        return None
    from platformdirs import user_cache_path

    return user_cache_path("fremfaerd-kit", appauthor=False) / kind


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


def _read(kind: str, key: str, suffix: str, *, private: bool = False) -> bytes | None:
    """The bytes kept of `kind` under `key`, or None (missing, too big, unreadable, or, with
    `private`, in a folder or file that someone else may have written)."""
    where = folder(kind)
    if where is None:
        return None
    entry = where / f"{key}{suffix}"
    try:
        if private and not (_own(where) and _own(entry)):
            return None
        with entry.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return None
        os.utime(entry)  # recently used: kept longest
    except OSError:
        return None
    return raw


def _own(path: Path) -> bool:
    """`path` is no link, belongs to this user and may be written by no one else."""
    if not hasattr(os, "getuid"):
        return False  # no owners to check: code is not read from the cache
    info = path.lstat()
    return not S_ISLNK(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def _write(kind: str, key: str, suffix: str, data: bytes, entries: int) -> None:
    """Keep `data` under `key`, best effort: a cache that cannot be written is no error."""
    where = folder(kind)
    if where is None or len(data) > MAX_BYTES:
        return
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = where / f".{key}.{os.getpid()}.tmp"
        with os.fdopen(os.open(temporary, _NEW_FILE, 0o600), "wb") as f:
            f.write(data)
        entry = where / f"{key}{suffix}"
        temporary.replace(entry)
        _prune(where, entry, entries)
    except OSError:
        return


def recall(kind: str, key: str) -> Any | None:
    """What was kept of `kind` under `key`, or None."""
    raw = _read(kind, key, ".pickle")
    if raw is None:
        return None
    try:
        found = _Unpickler(io.BytesIO(raw)).load()
    except Exception:  # damaged or foreign: the caller reads the files instead
        return None
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == key):
        return None
    return found[1]


def keep(kind: str, key: str, value: Any) -> None:
    """Keep `value` under `key`, best effort: a cache that cannot be written is no error."""
    try:
        data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, RecursionError):
        return
    _write(kind, key, ".pickle", data, MAX_ENTRIES)


def recall_code(kind: str, key: str) -> CodeType | None:
    """Compiled code kept of `kind` under `key`, from a folder only this user may write."""
    raw = _read(kind, key, ".code", private=True)
    if raw is None:
        return None
    try:
        code = marshal.loads(raw)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def keep_code(kind: str, key: str, code: CodeType, entries: int = MAX_ENTRIES) -> None:
    """Keep compiled `code` under `key` (in a folder only this user may write)."""
    where = folder(kind)
    if where is None:
        return
    try:
        if where.exists() and not _own(where):
            return
    except OSError:
        return
    _write(kind, key, ".code", marshal.dumps(code), entries)


def _prune(where: Path, newest: Path, entries: int) -> None:
    """Keep the most recently used entries (`newest` among them, whatever the clock's
    resolution); sweep what a killed run left half-written."""
    others = [p for p in where.glob("*" + newest.suffix) if p != newest]
    others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in others[entries - 1 :]:
        old.unlink(missing_ok=True)
    hour_ago = time.time() - 3600
    for left in where.glob(".*.tmp"):
        if left.stat().st_mtime < hour_ago:
            left.unlink(missing_ok=True)
