"""Word out: DOCX from the same Markdown, read back and opened by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from fremfaerd_kit.library import Library
from fremfaerd_kit.schedule import fit

from .conftest import REPO, run_kit
from .cups import skip_or_fail
from .pdfread import pdf_text


def texts(doc) -> list[str]:
    found = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            found.extend(cell.text for cell in row.cells)
    return found


def test_agenda_as_docx_has_word_styles_danish_and_the_fitted_clock(
    tmp_path: Path, library: Library
) -> None:
    out = tmp_path / "dagsorden.docx"
    result = run_kit("agenda", "vaerktoej2", "--minutes", "90", "--start", "13:00",
                     "--format", "docx", "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = Document(str(out))
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Heading 1", "Heading 4", "List Number", "List Bullet"} <= styles
    schedule = fit(library.tool("vaerktoej2"), 90)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 4"]
    for slot in schedule.slots:
        start, end = 13 * 60 + slot.start, 13 * 60 + slot.end
        span = f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"
        assert any(h.startswith(span) for h in headings), span
    assert doc.core_properties.language == "da-DK"
    normal = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal.get(qn("w:val")) == "da-DK"
    tool = library.tool("vaerktoej2")
    questions = library.questions(tool, tool.group_work[0].id)
    numbered = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    assert numbered[: len(questions)] == questions


def test_worksheet_docx_writing_space_and_fields_are_table_cells(tmp_path: Path) -> None:
    out = tmp_path / "ark.docx"
    result = run_kit("worksheet", "vaerktoej2", "--groups", "2", "--format", "docx",
                     "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = Document(str(out))
    labels = [t.rows[0].cells[0].text for t in doc.tables if len(t.columns) == 2]
    assert "Teknologi:" in labels  # the header fields, to fill in on screen
    lined = [t for t in doc.tables if len(t.columns) == 1 and len(t.rows) >= 5]
    assert lined, "writing lines as rows of a table"
    assert "Gruppe 2" in texts(doc)


@pytest.mark.debian("libreoffice-writer")
def test_kit_with_formats_writes_word_twins_that_libreoffice_opens(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        skip_or_fail("no soffice (Debian: libreoffice-writer)")
    out = tmp_path / "kit"
    result = run_kit("build", str(REPO / "examples/vasketoilet-hjemmepleje/kit.yaml"),
                     "-o", str(out), "-q")  # fmt: skip
    assert result.returncode == 0, result.stderr
    words = sorted(p.name for p in out.glob("*.docx"))
    assert words == [
        "01-guide.docx", "02-dagsorden-moedeleder.docx", "03-dagsorden-deltagere.docx",
        "04-arbejdsark.docx", "06-handout-fire-gode-raad-kerneopgave.docx",
        "06-handout-ti-principper-inddragelse.docx", "invitation.docx",
    ]  # fmt: skip
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "| invitation.docx | " in index and "(Word, til at redigere)" in index
    header = Document(str(out / "03-dagsorden-deltagere.docx")).sections[0].header
    assert header.part.rels and any("image" in r.reltype for r in header.part.rels.values())
    converted = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(converted), *map(str, sorted(out.glob("*.docx")))],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name in words:
        pdf = converted / name.replace(".docx", ".pdf")
        assert pdf.is_file(), name
        assert "Vasketoilet i hjemmeplejen" in pdf_text(pdf) or name.startswith("06-"), name
    assert "Eksempel Kommune · Sundhed og Omsorg" in pdf_text(converted / "01-guide.pdf")


@pytest.mark.parametrize("fmt", ["docx"])
def test_guide_and_handout_take_the_format_option(tmp_path: Path, fmt: str) -> None:
    for command in (("guide", "vaerktoej2"), ("handout", "kompetencehjulet")):
        out = tmp_path / f"{command[0]}.{fmt}"
        result = run_kit(*command, "--format", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert any(t.strip() for t in texts(Document(str(out))))
