"""Bad input and bad places to write, through the real `kit` command.

Each case checks what a user sees: the problem on one line naming file, line and field
where there is one; exit code 2 for the user's input, 1 for a failure outside it (a full
disk); no traceback; and nothing written, nothing earlier overwritten, no temporary files.
The content-file mistakes (syntax, types, unknown keys, duplicates, Latin-1, BOM, empty,
too large) are in test_check_errors.py; the agenda's minutes and times in test_agenda.py;
a printer that does not exist in test_printing.py.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from fremfaerd_kit import output
from fremfaerd_kit.errors import OutputError

from .conftest import run_kit, snapshot
from .test_check_errors import DECK


def problem_lines(stderr: str) -> list[str]:
    """The lines that are not the closing count (`kit: 1 problem found`)."""
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if not line.endswith(" found")]


# --- kit files -------------------------------------------------------------------------


def test_a_latin1_kit_file_is_named_as_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "kit.yaml"
    path.write_bytes("kind: kit\ntitle: Møde om robotter\n".encode("latin-1"))
    result = run_kit("build", str(path), "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert problem_lines(result.stderr) == [
        f"{path}:2: is not UTF-8 (perhaps Latin-1 or Windows-1252); save it as UTF-8"
    ]
    assert snapshot(tmp_path) == {"kit.yaml": path.read_bytes()}


def test_a_20_mb_kit_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kit.yaml"
    path.write_text("kind: kit\n" + "# fyld\n" * 2_800_000, encoding="utf-8")
    result = run_kit("build", str(path), "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert problem_lines(result.stderr) == [
        f"{path}: is larger than 16 MB, the most a YAML file may be"
    ]


def test_an_empty_kit_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "kit.yaml"
    path.write_text("\n", encoding="utf-8")
    result = run_kit("build", str(path), "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert problem_lines(result.stderr) == [
        f"{path}: is empty; expected a YAML mapping with a `kind`"
    ]


def test_a_missing_logo_names_the_kit_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "kit.yaml"
    path.write_text("kind: kit\nbranding:\n  logo: logo.png\n", encoding="utf-8")
    result = run_kit("build", str(path), "-q", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = problem_lines(result.stderr)
    assert line.startswith(f"{path}:3:3: branding.logo: ")
    assert "logo.png" in line and "does not exist" in line
    assert not (tmp_path / "kit").exists()


# --- content the kit cannot print ------------------------------------------------------


def test_own_cards_with_characters_the_font_cannot_draw(tmp_path: Path) -> None:
    (tmp_path / "egne.yaml").write_text(
        DECK.replace("Hvad gør vi nu?", "Hvad gør vi nu? ༄"), encoding="utf-8"
    )
    result = run_kit("--content", str(tmp_path), "cards", "min-bunke", "-o", "k.pdf",
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert problem_lines(result.stderr) == [
        f"{tmp_path / 'egne.yaml'}:11:5: cards[0].question: the font cannot draw '༄' (U+0F04)"
    ]
    assert not (tmp_path / "k.pdf").exists()


def test_right_to_left_text_is_refused_not_printed_backwards(tmp_path: Path) -> None:
    (tmp_path / "egne.yaml").write_text(
        DECK.replace("Hvad gør vi nu?", "Hvad betyder שלום?"), encoding="utf-8"
    )
    cards = run_kit("--content", str(tmp_path), "cards", "min-bunke", "-o", "k.pdf",
                    cwd=tmp_path)  # fmt: skip
    assert cards.returncode == 2
    assert problem_lines(cards.stderr) == [
        f"{tmp_path / 'egne.yaml'}:11:5: cards[0].question: right-to-left text "
        "('ש' (U+05E9), 'ל' (U+05DC), 'ו' (U+05D5), 'ם' (U+05DD)) would print reversed; "
        "the kit sets left-to-right scripts only"
    ]
    sheet = run_kit("worksheet", "vaerktoej2", "--set", "teknologi=روبوت", "-o", "ark.pdf",
                    cwd=tmp_path)  # fmt: skip
    assert sheet.returncode == 2
    (line,) = problem_lines(sheet.stderr)
    assert "right-to-left text ('ر' (U+0631), 'و' (U+0648), 'ب' (U+0628), 'ت' (U+062A))" in line
    assert not (tmp_path / "k.pdf").exists() and not (tmp_path / "ark.pdf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cards", "dialogkortene"], "unknown deck `dialogkortene`; did you mean `dialogkort`?"),
        (["agenda", "vaerktoej"], "unknown tool `vaerktoej`; did you mean `vaerktoej2`?"),
        (["cards", "--category", "hverdagen"], "unknown category `hverdagen`"),
        (["cards", "--size", "kaempe"], "--size: `kaempe` is neither a preset (a7, poker, a6)"),
    ],
)
def test_unknown_deck_tool_and_category_are_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_kit(*args, "-o", "out.pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert len(problem_lines(result.stderr)) == 1
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- where the output goes -------------------------------------------------------------


def test_an_output_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "kort").mkdir()
    result = run_kit("cards", "-o", "kort", cwd=tmp_path)
    assert result.returncode == 2
    assert problem_lines(result.stderr) == [
        "kit: error: kort: is a folder; give a file name such as kort/kort.pdf"
    ]


def test_an_output_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = run_kit("agenda", "vaerktoej2", "-o", "mangler/dagsorden.pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert problem_lines(result.stderr) == [
        "kit: error: mangler/dagsorden.pdf: the folder mangler does not exist"
    ]


@contextlib.contextmanager
def mounted_tmpfs(folder: Path, *options: str) -> Iterator[Path]:
    """A small tmpfs at `folder`, mounted for the test (needs root, as in CI); else skip."""
    folder.mkdir(parents=True, exist_ok=True)
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)],
        capture_output=True, text=True,
    )  # fmt: skip
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_an_output_folder_that_cannot_be_written(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "ro", "size=1m", "ro") as folder:
        result = run_kit("cards", "-o", str(folder / "kort.pdf"))
        assert result.returncode == 2
        assert problem_lines(result.stderr) == [
            f"kit: error: {folder / 'kort.pdf'}: cannot write in {folder} (permission denied)"
        ]


def test_a_full_disk_leaves_the_earlier_kit_whole_and_no_temporary_files(
    tmp_path: Path,
) -> None:
    kit = tmp_path / "kit.yaml"
    kit.write_text("kind: kit\ntitle: Første udgave\n", encoding="utf-8")
    with mounted_tmpfs(tmp_path / "disk", "size=800k") as disk:
        first = run_kit("build", str(kit), "-o", str(disk / "kit"), "--zip", "-q")
        assert first.returncode == 0, first.stderr
        before = snapshot(disk)
        # The same kit again, with the cards at a larger size: it no longer fits.
        kit.write_text("kind: kit\ntitle: Anden udgave\ncard_size: a6\n", encoding="utf-8")
        result = run_kit("build", str(kit), "-o", str(disk / "kit"), "--zip", "-q")
        assert result.returncode == 1
        (line,) = problem_lines(result.stderr)
        assert line.startswith(f"kit: error: {disk / 'kit'}")  # a file of the kit, or its ZIP
        assert line.endswith(": could not write (No space left on device)")
        assert snapshot(disk) == before

        # Fill the disk to all but 16 kB: a new card PDF cannot be written whole.
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "fyld").write_bytes(b"\0" * (free - 16 * 1024))
        before = snapshot(disk)
        target = disk / "kit" / "05-kort-dialogkort.pdf"
        cards = run_kit("cards", "--size", "a6", "-o", str(target))
        assert cards.returncode == 1
        assert problem_lines(cards.stderr) == [
            f"kit: error: {target}: could not write (No space left on device)"
        ]
        assert snapshot(disk) == before


def test_a_write_error_midway_takes_back_every_file_of_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = {tmp_path / f"{name}.pdf": f"old {name}".encode() for name in "abc"}
    for path, data in old.items():
        path.write_bytes(data)
    real_fsync, calls = os.fsync, []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(output.os, "fsync", failing_fsync)
    with pytest.raises(OutputError, match=r"c\.pdf: could not write \(No space left on device\)"):
        output.write_all([(path, b"new") for path in old])
    assert {p: p.read_bytes() for p in sorted(tmp_path.iterdir())} == old
