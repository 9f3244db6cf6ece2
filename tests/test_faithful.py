"""Every word the kit prints as the sources' own must stand in the source text.

The texts are read from the validated library (`plain()`: what the kit prints, defaults
included), never from the files' raw data, which the library lets go of once read: a
test over that data would check nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from fremfaerd_kit.library import Library, load_library

from .conftest import DATA

SEEDS = {
    "vaerktoej2": "000_a8c64f18831a16e0.txt",
    "sammen-om-ny-teknologi": "001_3693c3907ff52ced.txt",
    "fire-enkle-steder": "002_a29673e47cdcc93c.txt",
    "dialogkort": "003_9c02f5b8d9e62961.txt",
    "forandring-kraever-forankring": "004_de6da470be5ea103.txt",
}

# Boxes and quotes that the PDF's layout put in the middle of a running text: the text
# reads on across them (`… opmærksom på mulige` + a quote + `utilsigtede effekter. De
# kan …`). Each is named by its first and last words in the seed; a text may be read
# with them lifted out, and nothing else.
INTERRUPTIONS = {
    "sammen-om-ny-teknologi": [
        ("Jeg savner en debat om", "lektor på IT-Universitetet"),
        ("Spørgsmålet om profes-", "Professionshøjskole"),
        ("Det er lederens opgave", "KL: Ledelse i en digital tid"),
        ("Digitalisering er ikke i sig selv", "HK Kommunal: God ledelse i en digital hverdag"),
    ],
}

# Keys whose values are the kit's own: ids, references, colours, the kit's short names,
# and its notes (printed as "Note fra fremfaerd-kit").
EDITORIAL_KEYS = {
    "id",
    "kind",
    "arranged_by_kit",
    "category",
    "card",  # a slide that is one of the deck's cards, by id
    "colour",
    "publication",
    "short_title",
    "label",
    "link",
    "deck",
    "group_work",
    "tools",  # an overview handout's tools, by id
    "example_label",
    "date",
    "publisher",
}
ELISION = "[…]"
"""Where the kit leaves out words inside a source's sentence (a page reference)."""


def squash(text: str) -> str:
    """Compare text with line breaks, split words, hyphens and list bullets taken out."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\-\u00ad\ufffd.…•]", "", text).casefold()


def repair_ligatures(text: str) -> str:
    text = text.replace("<", "ti")
    text = re.sub(r"(?<=[a-zæøå])2(?=[a-zæøå])|(?<![\w])2(?=[a-zæøå])", "ti", text)
    text = re.sub(r"(?<=[a-zæøå])[Y/](?=[a-zæøå])", "tt", text)
    return text


def raw_seed(publication: str) -> str:
    text = (DATA / "seeds" / SEEDS[publication]).read_text(encoding="utf-8")
    text = unicodedata.normalize("NFC", text)  # the seeds spell some letters decomposed
    if publication == "forandring-kraever-forankring":
        text = repair_ligatures(text)
    return text


@cache
def seeds(publication: str) -> tuple[str, ...]:
    """The seed squashed, and as its running text reads with the interruptions lifted out."""
    text = raw_seed(publication)
    flowed = text
    for first, last in INTERRUPTIONS.get(publication, []):
        start = flowed.index(first)
        end = flowed.index(last, start) + len(last)
        flowed = flowed[:start] + flowed[end:]
    return (squash(text), squash(flowed))


def stands_in(value: str, publication: str) -> bool:
    """The text, squashed, stands in the seed; with `[…]`, its parts in order."""
    parts = [squash(p) for p in value.split(ELISION)]
    for text in seeds(publication):
        at = 0
        for part in parts:
            found = text.find(part, at)
            if found < 0:
                break
            at = found + len(part)
        else:
            return True
    return False


def strings(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every printed text of an item as the source's, with its key path."""
    if isinstance(data, str):
        if path[-1:] == ("detail",):  # "Behov/problem · Idé · …": the diagram's labels
            for i, label in enumerate(data.split(" · ")):
                yield (*path, i), label
        else:
            yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in EDITORIAL_KEYS:
                continue
            if key in ("title", "name") and data.get("named_by_kit"):
                continue  # the kit's own name, marked with * where it is printed
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, (*path, i))


def _unfaithful(library: Library, item_id: str) -> list[str]:
    item = library.get(item_id)
    data = item.plain()
    missing = []
    for path, value in strings(data):
        if path[:1] == ("source",) and path[-1] != "credit":
            continue  # the kit's reference to where the item stands in its source
        if not stands_in(value, item.source.publication):
            missing.append(f"{item_id}: {'.'.join(map(str, path))}: {value[:70]}")
    return missing


def test_seed_ligature_repair_restores_known_words():
    text = repair_ligatures("Mo<va<onen 2l tæYest flo/e defini2on")
    assert text == "Motivationen til tættest flotte definition"


def test_every_interruption_is_found_in_its_seed():
    for publication, spans in INTERRUPTIONS.items():
        text = raw_seed(publication)
        for first, last in spans:
            assert first in text and last in text[text.index(first) :], (first, last)


@pytest.mark.parametrize("item_id", load_library().ids())
def test_every_text_of_an_item_stands_in_its_source(library: Library, item_id: str):
    assert _unfaithful(library, item_id) == []


def test_the_check_reads_the_items_texts(library: Library):
    """A library item's texts are there to check (the files' data is let go once read)."""
    texts = dict(strings(library.get("vaerktoej2").plain()))
    assert texts[("checklist", "title")] == "I er klar til næste fase, for nu har I:"
    assert len(texts) > 40


def test_a_changed_word_a_dropped_word_and_a_stitched_sentence_are_caught():
    publication = "sammen-om-ny-teknologi"
    source = "Der findes ikke én sikker opskrift på at indføre ny teknologi med succes"
    assert stands_in(source, publication)
    assert not stands_in(source.replace("sikker", "god"), publication)
    assert not stands_in(source.replace("ikke én", "ikke"), publication)
    # Two real sentences of the source, joined where the source does not join them.
    assert not stands_in("Det gælder fx ved brug af apps. Radaren opdateres årligt", publication)
    # Parts in the source's order only, around an elision.
    elided = (
        "Det gælder ikke bare forbindelsen til borgere og brugere […] men også deres kollegiale"
    )
    assert stands_in(elided, publication)
    assert not stands_in("men også deres kollegiale […] Det gælder ikke bare", publication)


def test_text_read_across_a_quote_box_but_nowhere_else():
    publication = "sammen-om-ny-teknologi"
    across = "Men det er også vigtigt at være opmærksom på mulige utilsigtede effekter. De kan"
    assert stands_in(across, publication)
    assert not stands_in("opmærksom på mulige utilsigtede bivirkninger", publication)
