"""The built-in library: complete, counted, and shaped as the sources are."""

from __future__ import annotations

from fremfaerd_kit.library import Library


def test_built_in_library_holds_every_kind(library: Library):
    assert set(library.tools) == {
        "vaerktoej2",
        "sammen-om-ny-teknologi",
        "hvem-definerer-kerneopgaven",
        "faelles-ramme",
        "for-eller-sammen-med-borgerne",
        "faggrupper-bidrager",
        "forankring-kerneopgaven",
    }
    assert set(library.decks) == {"dialogkort", "fem-spoergsmaal", "forankring"}
    assert len(library.handouts) == 22


def test_dialogue_deck_has_35_cards_in_four_areas_each_with_its_example(library: Library):
    deck = library.deck("dialogkort")
    assert len(deck.cards) == 35
    assert [c.name for c in deck.categories] == [
        "Anvendelseskompetencer",
        "Teknologiforståelse",
        "Formidling og kommunikation",
        "Udvikling og implementering",
    ]
    assert all(card.example for card in deck.cards)
    assert len({card.question for card in deck.cards}) == 35
    assert deck.guidance is not None
    assert len(deck.guidance.steps) == 5
    assert len(deck.warmup) == 2


def test_examples_that_the_extraction_misplaced_stand_with_their_question(library: Library):
    cards = {c.id: c for c in library.deck("dialogkort").cards}
    assert cards["i-praksis"].example.startswith("Teknologien medfører en anden form")
    assert cards["faglighed"].example.startswith("Teknologien giver nye faglige muligheder")
    assert cards["rolle-og-ansvar"].example.startswith("Stor rolle og ansvar")
    assert cards["droemmer"].example.startswith("Der skal være en tydelig sammenhæng")
    assert cards["foelge-med"].example.startswith("Vores ledelse informerer os")
    assert cards["opbevare-indhold"].example.startswith("Vi sletter efter brug")


def test_four_core_questions_with_five_questions_each(library: Library):
    deck = library.deck("fem-spoergsmaal")
    assert [c.name for c in deck.categories] == [
        "Kerneopgave",
        "Opgaveløsning",
        "Kompetenceudvikling",
        "Inddragelse",
    ]
    assert [len(deck.cards_in(c.id)) for c in deck.categories] == [5, 5, 5, 5]


def test_vaerktoej2_agenda_is_the_sources_seven_blocks_of_120_minutes(library: Library):
    tool = library.tool("vaerktoej2")
    assert [b.minutes for b in tool.agenda.blocks] == [10, 30, 10, 30, 10, 20, 10]
    assert tool.agenda.minutes == 120
    assert not tool.agenda.suggested
    participants = [b.title for b in tool.agenda.blocks if not b.facilitator_only]
    assert participants == [
        "Velkomst og introduktion",
        "Gruppearbejde 1: Kortlæg kerneopgaver",
        "Gruppearbejde 2: Kernefaglighed i spil",
        "Fælles refleksion",
        "Næste skridt og afslutning",
    ]
    assert tool.duration and (tool.duration.min_minutes, tool.duration.max_minutes) == (120, 240)
    assert len(tool.steps) == 5
    assert tool.checklist is not None
    assert len(tool.checklist.items) == 6
    assert [len(g.questions) for g in tool.group_work] == [3, 3]
    assert [len(g.tips) for g in tool.group_work] == [2, 1]
    assert tool.group_work[0].tips[1].link.startswith("https://vpt.dk/")


def test_every_tool_has_an_agenda_and_invented_minutes_are_marked_suggested(library: Library):
    for tool in library.tools.values():
        assert tool.agenda.blocks
        assert tool.agenda.suggested == (tool.id != "vaerktoej2")


def test_med_tool_takes_its_questions_from_the_deck(library: Library):
    tool = library.tool("sammen-om-ny-teknologi")
    questions = library.questions(tool, "inddragelse")
    assert len(questions) == 5
    assert questions[3].endswith("fx MED-udvalg?")


def test_slides_deck_has_restored_words(library: Library):
    questions = " ".join(c.question for c in library.deck("forankring").cards)
    for word in ("Motivationen", "til at løse", "tættest", "altid", "rigtige", "Ambitionen"):
        assert word in questions
    for damage in ("<", "2l", "Y"):
        assert damage not in questions


def test_every_item_credits_a_known_publication(library: Library):
    for item_id in library.ids():
        item = library.get(item_id)
        assert item.source.publication in library.publications
        assert item.source.section
