"""What the engine asks of WordNet comes from a table made once, the same as nltk's reader gives.

scripts/install.sh makes the table; a start then reads no WordNet (seconds and about 80 MB).
A table made from other code or files is not used: the reader answers instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import last_json_line

from assistant.extractive import wordnet, wordnet_table
from assistant.extractive.wordnet_table import RelationTable

ROOT = Path(__file__).resolve().parent.parent
# inflections, a demonym, a capital, a word one step more general, names and a misspelling
WORDS = [
    "children",
    "gymnasium",
    "war",
    "reunited",
    "French",
    "Moscow",
    "Russians",
    "Kremlin",
    "Seoul",
    "Ghanaians",
    "hike",
    "larger",
    "signed",
    "paid",
    "September",
    "August",
    "Rotterdam",
]
STRANGERS = ["Holtalvel", "childern", "zzzq"]


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if wordnet.wordnet_dir() is None:
        pytest.fail("WordNet is not installed: scripts/install.sh installs wordnet-base")
    path = tmp_path_factory.mktemp("wordnet") / "relations.sqlite"
    some = wordnet_table.words_to_cover(wordnet.load())[::200]
    wordnet_table.build(path, sorted({w.lower() for w in WORDS} | set(some)))
    return path


def test_the_table_gives_what_the_reader_gives(table: Path) -> None:
    source = wordnet.wordnet_dir()
    assert source is not None
    opened = RelationTable.open(table, wordnet_table.fingerprint(source))
    assert opened is not None
    wn = wordnet.load()
    for word in WORDS + STRANGERS:
        assert opened.lookup(word) == wordnet_table.relations(wn, word), word
    assert "france" in opened.lookup("French")[0]
    assert "increase" in opened.lookup("hike")[1]
    assert opened.lookup("September")[2] & opened.lookup("August")[2]  # both months
    assert "netherlands" in opened.lookup("Rotterdam")[3]
    assert opened.lookup("gymnasium")[4]  # a place
    assert not opened.lookup("war")[4]


def test_a_table_made_from_other_code_or_files_is_not_used(table: Path) -> None:
    assert RelationTable.open(table, "another fingerprint") is None
    assert RelationTable.open(table.with_name("missing.sqlite"), "x") is None
    broken = table.with_name("broken.sqlite")
    broken.write_bytes(b"not a database")
    assert RelationTable.open(broken, "x") is None


def test_a_start_with_the_installed_table_reads_no_wordnet(bot_index: Path) -> None:
    """In a process of its own: the installed table answers; nltk's WordNet reader never loads."""
    script = f"""
import json, sys
from conftest import SEEDS, make_settings
from pathlib import Path
from assistant import Assistant
from assistant.extractive import lexicon, wordnet
bot = Assistant(make_settings(SEEDS, Path({str(bot_index)!r})))
answer = bot.ask("How many Ukrainian kids were reunited?")
print(json.dumps({{"reader": wordnet._reader is not None,
                  "related": sorted(lexicon.related("French")), "abstained": answer.abstained}}))
"""
    found = last_json_line(script)
    assert found["reader"] is False, "WordNet was read although its table is installed"
    assert "france" in found["related"]
    assert found["abstained"] is False


@pytest.fixture(scope="module")
def bot_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import SEEDS, make_settings

    from assistant.index import IndexStore

    folder = tmp_path_factory.mktemp("table-index")
    IndexStore(make_settings(SEEDS, folder)).sync()
    return folder
