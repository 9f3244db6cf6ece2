"""The wheel carries the built-in library: install it into a clean venv and use it elsewhere."""

from __future__ import annotations

import subprocess
import sys
import tarfile
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
    scripts = venv / ("Scripts" if sys.platform == "win32" else "bin")
    python = scripts / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(scripts / "kit"), "list"],
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


@pytest.mark.slow
def test_sdist_and_wheel_build_and_pass_twine_check(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "-o", str(dist), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    wheel = next(dist.glob("fremfaerd_kit-*.whl"))
    sdist = next(dist.glob("fremfaerd_kit-*.tar.gz"))
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "fremfaerd_kit/py.typed",
        "fremfaerd_kit/content/decks/dialogkort.yaml",
        "fremfaerd_kit/templates/documents/guide.md.j2",
        "fremfaerd_kit/fonts/DejaVuSansCondensed.ttf",
    ):
        assert name in in_wheel, name
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in in_wheel)
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for name in ("LICENSE", "README.md", "pyproject.toml", "content/decks/dialogkort.yaml",
                 "templates/documents/guide.md.j2", "src/fremfaerd_kit/py.typed",
                 "examples/vasketoilet-hjemmepleje/logo.png"):  # fmt: skip
        assert name in in_sdist, name
