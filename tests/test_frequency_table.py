"""General English word frequencies come from a table made once, the same as wordfreq gives.

scripts/install.sh makes the table; a start then never loads wordfreq's list (about 35 MB).
A table made from other code or another wordfreq is not used: wordfreq answers instead.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest
from conftest import last_json_line
from wordfreq import top_n_list, zipf_frequency

from assistant.extractive import frequency_table, rarity
from assistant.extractive.frequency_table import FrequencyTable

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> FrequencyTable:
    path = tmp_path_factory.mktemp("frequencies") / frequency_table.FILE_NAME
    frequency_table.build(path)
    opened = FrequencyTable.open(path, frequency_table.fingerprint())
    assert opened is not None
    return opened


def _words() -> list[str]:
    """List words, in three casings; strings wordfreq never saw; words its tokenizer must read."""
    rng = random.Random(5)
    listed = rng.sample([w for w in top_n_list("en", 10**6) if w.isascii() and w.isalpha()], 3000)
    invented = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 10))) for _ in range(1000)]
    return [
        *listed,
        *(w.capitalize() for w in listed[:500]),
        *(w.upper() for w in listed[:500]),
        *invented,
        *["childern", "reunitd", "Holtalvel", "Q3", "2025", "don't", "café", "U.S.", "e-mail", ""],
    ]


def test_the_table_gives_what_wordfreq_gives(table: FrequencyTable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frequency_table, "opened", lambda: table)
    rarity.zipf.cache_clear()
    try:
        for word in _words():
            assert rarity.zipf(word) == zipf_frequency(word, "en"), word
    finally:
        rarity.zipf.cache_clear()
    common = frozenset(w for w in top_n_list("en", 50000) if w.isalpha() and zipf_frequency(w, "en") >= 4.0)
    assert table.at_least(rarity.COMMON_ZIPF) == common


def test_a_table_made_from_other_code_or_another_wordfreq_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / frequency_table.FILE_NAME
    path.write_bytes(b"not a database")
    assert FrequencyTable.open(path, frequency_table.fingerprint()) is None
    assert FrequencyTable.open(tmp_path / "missing.sqlite", frequency_table.fingerprint()) is None


def test_a_start_with_the_installed_table_never_loads_wordfreq(tmp_path: Path) -> None:
    """In a process of its own: the installed table answers; wordfreq is not even imported."""
    script = f"""
import json, sys
from conftest import SEEDS, make_settings
from pathlib import Path
from assistant import Assistant
from assistant.extractive import rarity
bot = Assistant(make_settings(SEEDS, Path({str(tmp_path / "index")!r})))
answer = bot.ask("How many Ukrainian kids were reunited with their famlies?")
print(json.dumps({{"wordfreq": "wordfreq" in sys.modules, "the": rarity.zipf("the"),
                  "abstained": answer.abstained}}))
"""
    found = last_json_line(script)
    assert found["wordfreq"] is False, "wordfreq was loaded although its table is installed"
    assert found["the"] == zipf_frequency("the", "en")
    assert found["abstained"] is False
