"""How much a word tells in general English, and the documents' spelling of a misspelt word.

A one-document corpus cannot say which words are informative: every word it lacks looks as
rare as a name. General English word frequencies (wordfreq's Zipf scale: about 7 for "the",
5 for "hand", 3 for "cutoff", 0 for a word it has never seen) can: a question's "hand" or
"top" that the document lacks says little, its "envoy" or "Q3" says much. The frequencies are
read from a table made once (frequency_table.py), not from wordfreq's list loaded in memory.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Container, Iterable, Sequence, Set
from functools import lru_cache
from itertools import pairwise

from assistant.extractive.words import QUESTION_WORDS, stem

COMMONEST_ZIPF = 7.5  # a word this frequent ("the") tells nothing
RARE_ZIPF = 3.0  # a word this rare or rarer tells as much as a name
LEAST_SPECIFIC = 0.2  # the common words' floor: they still count, less
SPELLING_CUTOFF = 0.8  # difflib similarity for a non-word to be read as a word of the documents
SPELLING_MIN_LENGTH = 4  # shorter non-words are acronyms or codes, not typos
COMMON_ZIPF = 4.0  # a word of English this common may be what a misspelt word meant ("tiem": time)
SPELLING_MAX_ZIPF = 2.0  # rarer than this in English ("childern" 1.5, "reunitd" 0): maybe a typo
# A word WordNet does not know, this rare or rarer ("wher" 2.3, "wat" 3.4; not "gonna" 5.3), is a
# slip when a word is one keystroke from it; shorter words too ("wat": what)
SLIP_MAX_ZIPF = 3.5
SLIP_MIN_LENGTH = 3
JOINED_MIN_LENGTH = 3  # two words read as one are both this long ("fire fighters"; not "in to")


@lru_cache(maxsize=16384)
def zipf(word: str) -> float:
    from assistant.extractive.frequency_table import opened, table_key  # not at import: see its main()

    table, key = opened(), table_key(word)
    if table is not None and key is not None:
        return table.zipf(key)
    from wordfreq import zipf_frequency  # loads wordfreq's whole list: without a table, or for "Q3"

    return float(zipf_frequency(word, "en"))


def specificity(word: str) -> float:
    """1 for a rare word or a name, down to LEAST_SPECIFIC for the commonest words of English."""
    share = (COMMONEST_ZIPF - zipf(word)) / (COMMONEST_ZIPF - RARE_ZIPF)
    return min(1.0, max(LEAST_SPECIFIC, share))


def respelled(
    words: Iterable[str],
    vocabulary: Sequence[str],
    known: Container[str],
    english: Callable[[str], bool] | None = None,
) -> dict[str, str]:
    """Misspelt words of a question mapped to the word meant: one slip away from a question word,
    a common English word or a word of the documents (or a form of one), else the documents' word
    they most resemble.

    Only words that English barely knows (web text has "childern" too, rarely) and the documents
    do not use (`known`: the documents' lower-case words) are respelt: "represenative" ->
    "representative"; so are words less rare that English's lexicon does not know (`english`:
    WordNet's, when given), when one slip away from a word ("wher": where). A word the
    documents use, a common one, one WordNet knows, or a capitalised one (a name, perhaps
    another than the documents') is left as it is.
    """
    out: dict[str, str] = {}
    own: tuple[frozenset[str], frozenset[str]] | None = None  # made once, and only when a word is misspelt
    for word in words:
        low = word.lower()
        if word != low or not low.isalpha() or low in out or low in known:
            continue  # a capitalised word is a name, maybe another than the documents' ("Okafor")
        rare = len(low) >= SPELLING_MIN_LENGTH and zipf(low) < SPELLING_MAX_ZIPF
        if not rare and (
            english is None
            or len(low) < SLIP_MIN_LENGTH
            or zipf(low) >= SLIP_MAX_ZIPF
            or english(low)
            or english(stem(low))
            or _compound(low)
        ):
            continue  # "texted": a form of "text", newer than WordNet; "payout": pay and out
        own = own or (frozenset(vocabulary), frozenset(stem(w) for w in vocabulary))
        one_slip = _one_slip_away(low, *own)
        close = [one_slip] if one_slip else []
        if rare and not close:
            close = difflib.get_close_matches(low, vocabulary, n=1, cutoff=SPELLING_CUTOFF)
        if close:
            out[low] = close[0]
    return out


def joined(words: Sequence[str], known: Container[str]) -> dict[tuple[str, str], str]:
    """Pairs of words the documents write as one ("fire fighters": firefighters; "data base":
    database), when the documents lack one of the two as a word of its own."""
    out: dict[tuple[str, str], str] = {}
    for first, second in pairwise(words):
        a, b = first.lower(), second.lower()
        if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < JOINED_MIN_LENGTH:
            continue
        if (a not in known or b not in known) and a + b in known:
            out[(a, b)] = a + b
    return out


# the particles a phrasal verb's noun is written with ("handover", "liftoff", "layoffs", "setup")
PARTICLES = ("over", "off", "up", "out", "down", "back", "away")
_PHRASAL_MIN_VERB = 3  # "handover": hand; not the "p" of "pout"


def phrasal_split(
    words: Iterable[str],
    known: Container[str],
    texts: Iterable[str],
    same_verb: Callable[[str, str], bool],
) -> dict[str, str]:
    """Words the documents lack that are a verb and its particle written as one, mapped to the
    documents' own words for them: "handover" to "handed over", "liftoff" to "lifted off",
    "layoffs" to "laid off" (`same_verb`: the two are forms of one verb)."""
    wanted: dict[str, tuple[str, str]] = {}
    for word in words:
        low = word.lower()
        if not low.isalpha() or low in known:
            continue
        base = low[:-1] if low.endswith("s") and low[:-1].endswith(PARTICLES) else low
        for particle in PARTICLES:
            if base.endswith(particle) and len(base) - len(particle) >= _PHRASAL_MIN_VERB:
                wanted[low] = (base[: -len(particle)], particle)
    out: dict[str, str] = {}
    for text in texts if wanted else ():
        for low, (verb, particle) in wanted.items():
            if low in out:
                continue
            for m in re.finditer(rf"\b([A-Za-z]+)\s+{particle}\b", text, re.IGNORECASE):
                if same_verb(m.group(1).lower(), verb):
                    out[low] = m.group(0).lower()
                    break
    return out


def _compound(word: str) -> bool:
    """Two common words written as one ("payout", "takeover")."""
    common = _common_words()
    return any(
        word[:i] in common and word[i:] in common
        for i in range(SLIP_MIN_LENGTH, len(word) - SLIP_MIN_LENGTH + 1)
    )


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """The words English uses often enough (Zipf COMMON_ZIPF or more) to be what a typist meant."""
    from assistant.extractive.frequency_table import opened

    table = opened()
    if table is not None:
        return table.at_least(COMMON_ZIPF)
    from wordfreq import top_n_list

    return frozenset(w for w in top_n_list("en", 50000) if w.isalpha() and zipf(w) >= COMMON_ZIPF)


def _slips(word: str) -> set[str]:
    """Every string one keystroke slip away: a letter dropped, added, swapped or changed."""
    cut = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    letters = "abcdefghijklmnopqrstuvwxyz"
    return (
        {a + b[1:] for a, b in cut if b}
        | {a + b[1] + b[0] + b[2:] for a, b in cut if len(b) > 1}
        | {a + c + b[1:] for a, b in cut if b for c in letters}
        | {a + c + b for a, b in cut for c in letters}
    ) - {word}


def _one_slip_away(word: str, own: Set[str], own_stems: Set[str]) -> str | None:
    """The word a typist most likely meant, one slip away: two letters swapped ("mnay" for "many")
    before anything else, then a question word ("wat": what, not war), then a word of the
    documents ("melanias": melania, not melaniaes), then a form of one ("flods": floods, where
    they say "flood"), then a letter dropped rather than added ("leter" for "letter", not
    "later"), then the commoner word. None when no word is that close."""
    # in alphabetical order, so that a tie goes the same way in every process (a set's order does not)
    found = sorted(w for w in _slips(word) if w in own or w in _common_words() or stem(w) in own_stems)
    if not found:
        return None
    letters = sorted(word)
    return max(
        found,
        key=lambda w: (
            sorted(w) == letters,
            w in QUESTION_WORDS,
            w in own,
            stem(w) in own_stems,
            len(w) > len(word),
            zipf(w),
        ),
    )
