"""Write outputs whole or not at all: a temporary file in the target folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import OutputError, OutputPathError


def source_date_epoch() -> int | None:
    """`SOURCE_DATE_EPOCH` (reproducible builds) when set to a whole number of seconds."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else None


def check_target(path: Path) -> None:
    """Fail early, before any work, if `path` cannot be a file we write."""
    if path.is_dir():
        raise OutputPathError(f"{path}: is a folder; give a file name such as {path / 'kort.pdf'}")
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise OutputPathError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputPathError(f"{path}: cannot write in {folder} (permission denied)")


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    return write_all([(path, data)])[0]


def write_all(files: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """Write several files all or none.

    Each is first written whole to a temporary file beside its target; only when every
    one is on disk are they renamed into place. A full disk, a write error or Ctrl-C
    midway leaves every earlier file as it was and no temporary file behind.
    """
    staged: list[tuple[Path, Path]] = []
    current = files[0][0] if files else Path()
    try:
        for path, data in files:
            current = path
            check_target(path)
            staged.append((_stage(path, data), path))
        for temp, path in staged:
            current = path
            temp.replace(path)
    except OSError as exc:
        _discard(staged)
        raise OutputError(f"{current}: could not write ({exc.strerror or exc})") from None
    except BaseException:
        _discard(staged)
        raise
    return [path for path, _ in files]


def _stage(path: Path, data: bytes) -> Path:
    folder = path.parent if str(path.parent) else Path()
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
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
