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


def test_a_slip_of_one_keystroke_is_read_as_the_word_meant() -> None:
    # "may" is a word of the documents and close to "mnay", but two swapped letters say "many";
    # "tiem" is one swap from "time" although the documents never use it
    fixed = respelled(["mnay", "tiem", "leter", "flods"], ["may", "floods", "letter"], "may floods letter")
    assert fixed == {"mnay": "many", "tiem": "time", "leter": "letter", "flods": "floods"}


def test_real_words_are_not_respelt() -> None:
    # common words, and rare ones that no common word is one slip from, stay as asked
    assert respelled(["hand", "ruble", "wheat", "sounder", "kowalczyk"], ["and", "rule"], "and rule") == {}


def test_a_swapped_pair_of_letters_does_not_stop_an_answer(bot: Assistant) -> None:
    answer = bot.ask("how mnay children were reunited")
    assert not answer.abstained, answer.text
    assert "eight" in answer.text.lower()


def test_a_figure_written_without_its_thousands_separator_is_the_same_figure(bot: Assistant) -> None:
    answer = bot.ask("who came up with the 35000 estimate")
    assert not answer.abstained, answer.text
    assert "35,000" in answer.citations[0].quote
