"""General-English clues: how specific a word is, and misspellings read as the documents' words."""

from __future__ import annotations

from assistant import Assistant
from assistant.extractive.rarity import respelled, specificity


def test_rare_words_and_names_weigh_more_than_common_ones() -> None:
    assert specificity("envoy") > specificity("hand") > specificity("the")
    assert specificity("Kowalczyk") == 1.0  # a name English does not know
    assert 0.0 < specificity("the") < 0.5


def test_a_misspelt_word_is_read_as_the_documents_word_it_resembles() -> None:
    vocabulary = ["representative", "working", "children"]
    known = "her representative has been working directly"
    fixed = respelled(
        ["represenative", "workng", "Putin", "Zelensky", "hand", "kowalczyk"], vocabulary, known
    )
    assert fixed == {"represenative": "representative", "workng": "working"}


def test_a_word_english_does_not_know_and_nothing_resembles_is_left_alone() -> None:
    assert respelled(["Zyxwvut"], ["representative"], "representative") == {}


def test_a_typo_does_not_stop_an_answer(bot: Assistant) -> None:
    answer = bot.ask("how many childern were reunitd with their familes")
    assert not answer.abstained, answer.text
    assert "eight" in answer.text.lower()
