"""`kit cards --print` through a real CUPS scheduler and the cups-pdf backend."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

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


def test_missing_lp_is_a_clear_error_and_the_pdf_stays(tmp_path: Path):
    python_only = tmp_path / "bin"
    python_only.mkdir()
    (python_only / "python").symlink_to(sys.executable)
    result = run_kit(
        "cards", "-o", "kort.pdf", "--print", cwd=tmp_path, env={"PATH": str(python_only)}
    )
    assert result.returncode == 1
    assert result.stderr == (
        "kit: error: cannot print: the `lp` command is missing (Debian: "
        "apt-get install cups-client); the PDF is written at kort.pdf\n"
    )
    assert (tmp_path / "kort.pdf").exists()
    assert os.environ.get("PATH")  # the test's own environment is untouched
