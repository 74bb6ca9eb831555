"""General-English clues: how specific a word is, and misspellings read as the documents' words."""

from __future__ import annotations

from assistant import Assistant
from assistant.extractive.backend import ExtractiveBackend
from assistant.extractive.lexicon import knows
from assistant.extractive.rarity import joined, respelled, specificity
from assistant.extractive.words import content_words


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


def test_a_slip_in_a_less_rare_word_is_read_as_meant_when_wordnet_does_not_know_it() -> None:
    vocabulary = ["war", "flood", "donors", "text", "melania"]
    known = "war flood donors text melania"
    fixed = respelled(["wat", "wher", "flods", "donrs", "tryin", "melanias"], vocabulary, known, knows)
    # a question word before a word of the documents ("wat": what, not war); a form of a
    # document's word ("flods": floods, where the documents say "flood")
    assert fixed == {
        "wat": "what",
        "wher": "where",
        "flods": "floods",
        "donrs": "donors",
        "tryin": "trying",
        "melanias": "melania",  # the documents' word itself before a form of it ("melaniaes")
    }
    # words WordNet knows, forms of them, and common words newer than WordNet stay as asked
    assert (
        respelled(["sounder", "ruble", "texted", "gonna", "covid", "payout"], vocabulary, known, knows) == {}
    )


def test_two_words_the_documents_write_as_one_are_read_as_one() -> None:
    known = {"firefighters", "fire", "database", "data", "base", "into"}
    assert joined(["the", "fire", "fighters", "died"], known) == {("fire", "fighters"): "firefighters"}
    assert joined(["data", "base"], known) == {}  # the documents use both words on their own too
    assert joined(["in", "to"], known) == {}


def test_a_figure_in_digits_meets_the_documents_figure_in_words(bot: Assistant) -> None:
    # the announcement says "of the eight children, three were separated …"
    answer = bot.ask("Of the 8 children, how many were displaced to Russia?")
    assert not answer.abstained, answer.text
    assert answer.text.startswith("Three"), answer.text


def test_a_slip_in_the_question_word_does_not_stop_an_answer(bot: Assistant) -> None:
    answer = bot.ask("wher was the speech given")
    assert not answer.abstained, answer.text
    assert "podium" in answer.citations[0].quote
    answer = bot.ask("wat did the first lady say about peace")
    assert "peace will come" in answer.citations[0].quote
    assert "mention" not in answer.text, answer.text


def test_a_compound_asked_as_two_words_is_read_as_the_documents_one(bot: Assistant) -> None:
    # the announcement says "because of frontline fighting"
    assert isinstance(bot.backend, ExtractiveBackend)
    assert "frontline fighting" in bot.backend.respell("Who was displaced by the front line fighting?")
    answer = bot.ask("How many kids were displaced to Russia because of front line fighting?")
    assert not answer.abstained, answer.text
    assert "frontline" in answer.citations[0].quote


def test_asking_for_a_quote_names_no_topic() -> None:
    # "Give me the exact quote from the board chair" asks what the chair said, not about quotes
    assert content_words("Give me the exact quote from the board chair") == ["exact", "board", "chair"]
