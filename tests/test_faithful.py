"""Every word the kit prints as the sources' own must stand in the source text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from fremfaerd_kit.library import Library

from .conftest import DATA

SEEDS = {
    "vaerktoej2": "000_a8c64f18831a16e0.txt",
    "sammen-om-ny-teknologi": "001_3693c3907ff52ced.txt",
    "fire-enkle-steder": "002_a29673e47cdcc93c.txt",
    "dialogkort": "003_9c02f5b8d9e62961.txt",
    "forandring-kraever-forankring": "004_de6da470be5ea103.txt",
}

# Keys whose values are the kit's own: ids, references, colours, and the labels and
# agenda titles of suggested agendas (said to be suggestions in the content).
EDITORIAL_KEYS = {
    "id",
    "arranged_by_kit",
    "kind",
    "category",
    "card",  # a slide that is one of the deck's cards, by id
    "colour",
    "publication",
    "short_title",
    "audience",
    "label",
    "link",
    "deck",
    "group_work",
    "example_label",
    "name",
    "steps_title",
    "detail",
    "date",
    "publisher",
}


def squash(text: str) -> str:
    """Compare text with line breaks, split words and hyphens taken out."""
    return re.sub(r"[\s\-\u00ad\ufffd.…]", "", text).casefold()


def repair_ligatures(text: str) -> str:
    text = text.replace("<", "ti")
    text = re.sub(r"(?<=[a-zæøå])2(?=[a-zæøå])|(?<![\w])2(?=[a-zæøå])", "ti", text)
    text = re.sub(r"(?<=[a-zæøå])[Y/](?=[a-zæøå])", "tt", text)
    return text


def seed(publication: str) -> str:
    text = (DATA / "seeds" / SEEDS[publication]).read_text(encoding="utf-8")
    if publication == "forandring-kraever-forankring":
        text = repair_ligatures(text)
    return squash(text)


def strings(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in EDITORIAL_KEYS:
                yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, (*path, i))


def test_seed_ligature_repair_restores_known_words():
    text = repair_ligatures("Mo<va<onen 2l tæYest flo/e defini2on")
    assert text == "Motivationen til tættest flotte definition"


@pytest.mark.parametrize(
    "item_id",
    [
        "vaerktoej2",
        "dialogkort",
        "fem-spoergsmaal",
        "forankring",
        "hvem-definerer-kerneopgaven",
        "faelles-ramme",
        "for-eller-sammen-med-borgerne",
        "faggrupper-bidrager",
        "sammen-om-ny-teknologi",
    ],
)
def test_every_text_of_an_item_stands_in_its_source(library: Library, item_id: str):
    source = library.files[item_id]
    item = library.get(item_id)
    text = seed(item.source.publication)
    suggested = getattr(getattr(item, "agenda", None), "suggested", False)
    missing = []
    for path, value in strings(source.data):
        if suggested and path[:1] in (("agenda",), ("meeting",)):
            continue  # the kit's suggestion, labelled as such
        if path[:1] == ("source",):
            continue
        if squash(value) not in text:
            missing.append(f"{'.'.join(map(str, path))}: {value[:70]}")
    assert missing == []


def test_every_handout_text_stands_in_its_source(library: Library):
    text = seed("sammen-om-ny-teknologi")
    missing = []
    for handout_id in library.handouts:
        for path, value in strings(library.files[handout_id].data):
            if path[:1] == ("source",) and path[-1] != "credit":
                continue
            if squash(value) not in text:
                missing.append(f"{handout_id}: {'.'.join(map(str, path))}: {value[:60]}")
    assert missing == []
