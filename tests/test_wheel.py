"""The wheel carries the built-in library: install it into a clean venv and use it elsewhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_wheel_installed_in_fresh_venv_finds_the_built_in_library(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(dist.glob("fremfaerd_kit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "fremfaerd_kit/content/decks/dialogkort.yaml" in names
    assert "fremfaerd_kit/templates/terminal/tool.txt.j2" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(venv / "bin" / "kit"), "list"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "dialogkort" in result.stdout
    assert "35 kort, 4 kategorier" in result.stdout
    where = subprocess.run(
        [str(python), "-c", "import fremfaerd_kit.resources as r; print(r.content_dir())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(venv))
