from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from fremfaerd_kit.library import Library, load_library

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
# The library cache of this test run, in every `kit` the tests start: never the user's own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="fremfaerd-kit-tests-")
# platformdirs reads XDG_CACHE_HOME on Linux and macOS; on Windows this override instead.
os.environ["WIN_PD_OVERRIDE_CSIDL_LOCAL_APPDATA"] = os.environ["XDG_CACHE_HOME"]

NEEDS_DEBIAN = {"cups": "cups-daemon, printer-driver-cups-pdf", "page": "chromium"}
"""Fixtures that start a Debian package: a test that uses one is marked `debian`."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, packages in NEEDS_DEBIAN.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.debian(packages))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Off Linux, a test that needs Debian's packages or POSIX says so and is skipped."""
    debian = item.get_closest_marker("debian")
    if debian is not None and not sys.platform.startswith("linux"):
        pytest.skip(f"needs Debian's packages ({', '.join(debian.args)})")
    if item.get_closest_marker("posix") is not None and sys.platform == "win32":
        pytest.skip("needs what Windows lacks (fork, FIFOs, POSIX signals, file modes)")


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (path relative to it) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


def run_kit(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real `kit` entry point in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "fremfaerd_kit", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def cups(tmp_path_factory: pytest.TempPathFactory):
    """A running, isolated CUPS scheduler with one cups-pdf queue."""
    from .cups import skip_or_fail, start_cups, unavailable

    reason = unavailable()
    if reason:
        skip_or_fail(reason)
    yield from start_cups(tmp_path_factory.mktemp("cups"))
