"""One deck as shown: the cards, the slides, the facilitator screen and the terminal show a
deck's cards the same way, with the kit's variables filled in once."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .conftest import run_kit
from .pdfread import pdf_text

DECK = """\
kind: deck
id: egne
title: Vores kort om {{ teknologi }}
short_title: Egne
source: {publication: dialogkort, section: Egne spørgsmål}
intro: Kortene handler om {{ teknologi }}.
warmup: ["hvad ved vi om {{ teknologi }}?"]
categories:
  - {id: hverdag, name: "Hverdagen med {{ teknologi }}", colour: "#1D3B5A"}
cards:
  - id: k1
    category: hverdag
    question: Hvordan bruger vi {{ teknologi }} i hverdagen?
    example: Vi taler om {{ teknologi }} på mødet.
  - id: k2
    category: hverdag
    question: Hvem spørger vi først?
"""
KIT = """\
kind: kit
title: Vores kit
technology: vasketoilet
content: [egne]
decks: [{id: egne}]
slides: [egne]
"""
FILLED = (
    "Hvordan bruger vi vasketoilet i hverdagen?",
    "Vi taler om vasketoilet på mødet.",
    "Hverdagen med vasketoilet",
    "Hvad ved vi om vasketoilet?",
    "Kortene handler om vasketoilet.",
)


def screen_texts(page: Path) -> str:
    """Every text the facilitator screen carries for its card mode, as one string."""
    found = re.search(r'<script type="application/json" id="kit-data">(.*?)</script>',
                      page.read_text(), re.S)  # fmt: skip
    assert found
    data = json.loads(html.unescape(found.group(1)))
    return json.dumps(data["decks"], ensure_ascii=False)


def test_a_variable_in_a_consultants_card_reads_the_same_on_cards_slides_and_screen(tmp_path):
    (tmp_path / "egne").mkdir()
    (tmp_path / "egne" / "egne.yaml").write_text(DECK)
    (tmp_path / "kit.yaml").write_text(KIT)
    result = run_kit("build", "kit.yaml", "-q", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    cards = pdf_text(out / "05-kort-egne.pdf")
    slides = pdf_text(out / "07-slides-egne.pdf")
    screen = screen_texts(out / "facilitator.html")
    for text in FILLED:
        assert text in cards, text
        assert text in slides, text
        assert text in screen, text
    assert "Vores kort om vasketoilet" in cards  # on each back
    for view in (cards, slides, screen):
        assert "{{" not in view and "teknologi" not in view


def test_kit_cards_fills_variables_given_with_set_and_locates_one_not_given(tmp_path):
    (tmp_path / "egne").mkdir()
    (tmp_path / "egne" / "egne.yaml").write_text(DECK)
    given = run_kit(
        "--content", "egne", "cards", "egne", "--set", "teknologi=robotten", "-o", "k.pdf",
        cwd=tmp_path,
    )  # fmt: skip
    assert given.returncode == 0, given.stderr
    assert "Hvordan bruger vi robotten i hverdagen?" in pdf_text(tmp_path / "k.pdf")
    missing = run_kit("--content", "egne", "cards", "egne", "-o", "m.pdf", cwd=tmp_path)
    assert missing.returncode == 2
    problems = [line for line in missing.stderr.splitlines() if not line.endswith(" found")]
    assert problems, missing.stderr
    assert all("teknologi" in line and "egne.yaml:" in line for line in problems)
    assert any(":27:" in line or "cards[0].question" in line for line in problems), problems
    assert not (tmp_path / "m.pdf").exists()
