"""`kit cards --print` through a real CUPS scheduler and the cups-pdf backend."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from fremfaerd_kit.library import Library

from .conftest import run_kit
from .pdfread import open_pdf


def squash(text: str) -> str:
    return re.sub(r"[\s\-]", "", text)


def loosely(text: str) -> re.Pattern[str]:
    """Match `text` where Ghostscript's output loses the Unicode of non-ASCII letters."""
    return re.compile("".join("." if ord(c) > 127 else re.escape(c) for c in squash(text)))


def pixels(page) -> bytes:
    return page.get_pixmap(dpi=40, colorspace="gray").samples


def print_cards(cups, tmp_path: Path, *args: str):
    before = cups.snapshot()
    result = run_kit(
        "cards",
        "-o",
        "kort.pdf",
        "--print",
        "--printer",
        cups.queue,
        *args,
        cwd=tmp_path,
        env=cups.env,
    )
    assert result.returncode == 0, result.stderr
    job = re.search(r"job (\S+),", result.stdout)
    assert job, result.stdout
    return job.group(1), cups.printed(before), result.stdout


def test_printed_cards_come_out_of_the_printer_with_every_question(
    cups, tmp_path: Path, library: Library
):
    job, printed, stdout = print_cards(cups, tmp_path)
    assert "two-sided-long-edge" in stdout
    doc = open_pdf(printed.read_bytes())
    assert doc.page_count == 10
    text = squash(" ".join(page.get_text() for page in doc))
    for card in library.deck("dialogkort").cards:
        assert loosely(card.question).search(text), card.id
    assert loosely("Vejledning til kortene").search(text)  # the instruction cards travel along
    # the glyphs themselves come through: the printed page looks like the page we sent
    ours = open_pdf((tmp_path / "kort.pdf").read_bytes())
    for number in (0, 1):
        a, b = pixels(ours[number]), pixels(doc[number])
        assert len(a) == len(b)
        assert sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a) < 3
    attributes = cups.job_attributes(job)
    assert attributes["sides"] == [b"two-sided-long-edge"]
    assert attributes["copies"] == [(1).to_bytes(4, "big")]


def test_short_edge_duplex_and_copies_reach_the_job(cups, tmp_path: Path):
    job, printed, _ = print_cards(
        cups,
        tmp_path,
        "--duplex",
        "short",
        "--copies",
        "2",
        "--paper",
        "letter",
        "--only",
        "droemmer",
    )
    attributes = cups.job_attributes(job)
    assert attributes["sides"] == [b"two-sided-short-edge"]
    assert attributes["copies"] == [(2).to_bytes(4, "big")]
    assert b"na_letter_8.5x11in" in b"".join(attributes.get("media", [])) or attributes.get(
        "media"
    ) == [b"Letter"]
    assert open_pdf(printed.read_bytes()).page_count >= 2


def test_single_sided_without_backs(cups, tmp_path: Path):
    job, printed, _ = print_cards(
        cups, tmp_path, "--no-backs", "--category", "udvikling", "--no-instructions", "--no-warmup"
    )
    assert cups.job_attributes(job)["sides"] == [b"one-sided"]
    assert open_pdf(printed.read_bytes()).page_count == 1


def test_a_printer_that_does_not_exist_keeps_the_pdf(cups, tmp_path: Path):
    result = run_kit(
        "cards",
        "-o",
        "kort.pdf",
        "--print",
        "--printer",
        "ingen-printer",
        cwd=tmp_path,
        env=cups.env,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("kit: error: the printer did not take the job (lp:")
    assert result.stderr.endswith("the PDF is written at kort.pdf\n")
    assert result.stderr.count("\n") == 1
    assert open_pdf((tmp_path / "kort.pdf").read_bytes()).page_count == 10


def test_no_default_destination_is_a_clear_error(cups, tmp_path: Path):
    result = run_kit("cards", "-o", "kort.pdf", "--print", cwd=tmp_path, env=cups.env)
    assert result.returncode == 1
    assert "kit: error: the printer did not take the job" in result.stderr
    assert (tmp_path / "kort.pdf").exists()


@pytest.mark.posix  # lp is Linux's and macOS's; Windows prints through its spooler
def test_missing_lp_is_a_clear_error_and_the_pdf_stays(tmp_path: Path):
    python_only = tmp_path / "bin"
    python_only.mkdir()
    (python_only / "python").symlink_to(sys.executable)
    result = run_kit(
        "cards", "-o", "kort.pdf", "--print", cwd=tmp_path, env={"PATH": str(python_only)}
    )
    assert result.returncode == 1
    assert result.stderr == (
        "kit: error: cannot print: the `lp` command is missing (Debian, Ubuntu: sudo "
        "apt-get install cups-client); the PDF is written at kort.pdf\n"
    )
    assert (tmp_path / "kort.pdf").exists()
    assert os.environ.get("PATH")  # the test's own environment is untouched


# --- printer profiles ------------------------------------------------------------------


def profile_env(cups, tmp_path: Path) -> dict[str, str]:
    """The CUPS environment with a configuration folder of the test's own."""
    return {**cups.env, "XDG_CONFIG_HOME": str(tmp_path / "config")}


def test_a_saved_printer_profile_is_used_and_said(cups, tmp_path: Path):
    env = profile_env(cups, tmp_path)
    saved = run_kit("printer", "set", cups.queue, "--back-offset", "1.5,-0.5", "--duplex",
                    "short", "--copies", "2", env=env)  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    settings = tmp_path / "config" / "fremfaerd-kit" / "printers.yaml"
    assert settings.is_file()

    before = cups.snapshot()
    result = run_kit("cards", "-o", "kort.pdf", "--print", "--printer", cups.queue, "--only",
                     "droemmer", cwd=tmp_path, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        f"kit: using the saved settings for {cups.queue}: duplex short, back offset 1.5,-0.5 mm, "
        "a4, 2 copies" in result.stderr
    )
    job = re.search(r"job (\S+),", result.stdout).group(1)  # type: ignore[union-attr]
    attributes = cups.job_attributes(job)
    assert attributes["sides"] == [b"two-sided-short-edge"]
    assert attributes["copies"] == [(2).to_bytes(4, "big")]
    cups.printed(before)
    # The backs moved by the saved offset: the same cards with the offset given by hand
    # give the same PDF.
    by_hand = run_kit("cards", "-o", "haand.pdf", "--only", "droemmer", "--duplex", "short",
                      "--back-offset", "1.5,-0.5", cwd=tmp_path, env=env)  # fmt: skip
    assert by_hand.returncode == 0, by_hand.stderr
    assert (tmp_path / "haand.pdf").read_bytes() == (tmp_path / "kort.pdf").read_bytes()

    # An option on the command line wins over the profile.
    before = cups.snapshot()
    wins = ("--duplex", "long", "--copies", "1")
    result = run_kit("cards", "-o", "kort.pdf", "--print", "--printer", cups.queue, "--only",
                     "droemmer", *wins, cwd=tmp_path, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    job = re.search(r"job (\S+),", result.stdout).group(1)  # type: ignore[union-attr]
    assert cups.job_attributes(job)["sides"] == [b"two-sided-long-edge"]
    assert cups.job_attributes(job)["copies"] == [(1).to_bytes(4, "big")]
    cups.printed(before)


def test_printer_calibrate_sends_the_sheet_to_that_printer(cups, tmp_path: Path):
    env = profile_env(cups, tmp_path)
    before = cups.snapshot()
    result = run_kit("printer", "calibrate", cups.queue, "--duplex", "short", env=env)
    assert result.returncode == 0, result.stderr
    assert f"kit printer set {cups.queue} --back-offset X,Y --duplex short" in result.stdout
    printed = cups.printed(before)
    doc = open_pdf(printed.read_bytes())
    assert doc.page_count == 2
    assert loosely("Aflæs ved krydset i midten").search(squash(doc[1].get_text()))
    job = re.search(r"job (\S+),", result.stdout).group(1)  # type: ignore[union-attr]
    assert cups.job_attributes(job)["sides"] == [b"two-sided-short-edge"]


def test_a_damaged_settings_file_is_a_located_error_and_stays_as_it_was(tmp_path: Path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    settings = tmp_path / "config" / "fremfaerd-kit" / "printers.yaml"
    settings.parent.mkdir(parents=True)
    damaged = b"kind: printers\nprinters:\n  kontor: {duplex: sideways, copies: 2}\n"
    settings.write_bytes(damaged)
    cards = ("cards", "-o", str(tmp_path / "k.pdf"), "--print", "--printer", "kontor")
    for command in (("printer", "set", "kontor", "--copies", "3"), ("printer", "list"), cards):
        result = run_kit(*command, env=env)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith(f"{settings}:3:12: printers.kontor.duplex: expected")
        assert settings.read_bytes() == damaged
    assert not (tmp_path / "k.pdf").exists()


def test_printer_list_show_remove(tmp_path: Path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert "no printer settings saved yet" in run_kit("printer", "list", env=env).stdout
    assert run_kit("printer", "set", "a", "--paper", "letter", env=env).returncode == 0
    assert run_kit("printer", "set", "b", "--back-offset", "0.3,0.2", env=env).returncode == 0
    listed = run_kit("printer", "list", env=env).stdout.splitlines()
    assert listed == [
        "a: duplex long, back offset 0,0 mm, letter, 1 copy",
        "b: duplex long, back offset 0.3,0.2 mm, a4, 1 copy",
    ]
    assert run_kit("printer", "show", "b", env=env).stdout.startswith("b: duplex long")
    assert run_kit("printer", "remove", "a", env=env).stdout == "removed a\n"
    missing = run_kit("printer", "show", "a", env=env)
    assert missing.returncode == 2 and "no saved settings for printer 'a'" in missing.stderr
