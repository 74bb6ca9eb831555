"""A question's short forms read as the documents write them out, and answered so."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings

from assistant import Assistant
from assistant.extractive.facts import tokens_of
from assistant.extractive.short_forms import initials, spelled_out, written_out

PARK = (
    "date 2025-08-21\n"
    "Glacier Ridge National Park will keep 12,000 acres closed for six weeks after a wildfire, park "
    "officials said on Thursday. The company reported revenue of $3.1 billion for the third quarter, "
    "and expects $3.4 billion in the fourth quarter. The National Commission for Parks and Trails "
    "will review the closure in October.\n"
)


@pytest.mark.parametrize(
    ("question", "read"),
    [
        (
            "How many acres of Glacier Ridge NP are closed?",
            "How many acres of Glacier Ridge National Park are closed?",
        ),
        ("what was q3 revenue", "what was third quarter revenue"),
        ("What is the Q4 forecast?", "What is the fourth quarter forecast?"),
        ("What was the third-quarter revenue?", "What was the third quarter revenue?"),
        ("Who will review it for the NCPT?", "Who will review it for the National Commission Parks Trails?"),
        # what the documents lack, or use as written, stays
        ("What did the CEO say?", "What did the CEO say?"),
        ("Is the NP closed for six-weeks?", "Is the National Park closed for six weeks?"),
        ("Was the fire-ban lifted?", "Was the fire-ban lifted?"),
    ],
)
def test_a_short_form_the_documents_lack_is_read_as_they_write_it(question: str, read: str) -> None:
    assert written_out(question, tokens_of(PARK), initials([PARK]).get) == read


def test_an_acronym_is_the_name_whose_initials_it_is_the_one_used_most() -> None:
    texts = ["The National Park Service and Glacier Ridge National Park.", "The National Park reopened."]
    assert spelled_out("NP", texts) == "National Park"
    assert spelled_out("NPS", texts) == "National Park Service"
    assert spelled_out("XY", texts) is None


def test_a_question_in_short_forms_is_answered_from_the_words_written_out(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "2025-08-21-park.txt").write_text(PARK, encoding="utf-8")
    bot = Assistant(make_settings(seeds, tmp_path / "index"))
    answer = bot.ask("what was q3 revenue")
    assert not answer.abstained, answer.text
    assert "$3.1 billion" in answer.text
