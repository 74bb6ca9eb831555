"""Clues, beyond the share of shared words, that a sentence answers what the question asks.

General English, nothing about any document: whether the question's heaviest word is met
literally (by stem, WordNet or who-is-who, never by a near embedding, which finds "rural"
close to "urban" and "40" close to "20"), whether the numbers the question names are the
sentence's, whether the thing counted stands right after a number, how close together the
question's words stand in the sentence (whether they speak of the same time: `tense`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from assistant.extractive.lexicon import (
    is_person_kind,
    kinds,
    located_in,
    related,
    related_stems,
)
from assistant.extractive.names import placed
from assistant.extractive.questions import yes_no
from assistant.extractive.words import (
    MONTHS,
    NUMBER_WORDS,
    ORDINALS,
    WEEKDAYS,
    as_digits,
    content_words,
    stem,
    stopwords,
    word_parts,
    words,
)


class Weighed(Protocol):
    @property
    def stem(self) -> str: ...

    @property
    def weight(self) -> float: ...


_DIGITS = re.compile(r"\d[\d,.]*\d|\d")


def literal_share(terms: Sequence[Weighed], literal: set[str]) -> float:
    """Share of the question's weight the sentence meets literally."""
    total = sum(t.weight for t in terms) or 1.0
    return sum(t.weight for t in terms if t.stem in literal) / total


def heaviest_unmet(terms: Sequence[Weighed], met: set[str]) -> float:
    """The weight of the heaviest question word whose stem is not in `met`, as a share of the question's weight."""
    total = sum(t.weight for t in terms) or 1.0
    return max((t.weight for t in terms if t.stem not in met), default=0.0) / total


def _digits(text: str) -> set[str]:
    return {m.group(0).replace(",", "").rstrip(".") for m in _DIGITS.finditer(text)}


# an ordinal past "first" (which names as often as it counts: "the first lady"), as a word or in
# figures; not one of a period, which a text gives other ways ("the third quarter": "the three
# months to September 30"), nor the moment of "for a second"
_RANK_FIGURE = r"(\d+)(?:st|nd|rd|th)"  # "2nd", "10th"
_ORDINAL = re.compile(
    rf"(?<!for a )\b(?:({'|'.join(ORDINALS[1:])})|{_RANK_FIGURE})\b"
    r"(?![\s-]+(?:quarter|half|week|month|year|day|decade|century|season|term|time)s?\b)",
    re.I,
)


_RANK_IN_FIGURES = re.compile(rf"\b{_RANK_FIGURE}\b", re.I)


def _ordinals(text: str) -> set[str]:
    return {
        f"#{ORDINALS.index(m.group(1).lower()) + 1 if m.group(1) else int(m.group(2))}"
        for m in _ORDINAL.finditer(text)
    }


def numbers_unmet(question: str, text: str) -> float:
    """1 when the question names a figure ("the 20-milligram tablets", "Meridian-3") or a rank
    ("her second letter", "a third country") the sentence lacks, in figures or in words ("8" is
    met by "eight")."""
    return float(bool(_figures(question) - _figures(text) - _spelled_figures(text)))


def _spelled_figures(text: str) -> set[str]:
    """The text's number words, in digits ("eight": 8)."""
    return {digits for w in word_parts(text) if (digits := as_digits(w)) != w}


def _figures(text: str) -> set[str]:
    """The text's figures and ranks ("2nd" is a rank, not the figure 2)."""
    return _digits(_RANK_IN_FIGURES.sub(" ", text)) | _ordinals(text)


def _is_number(token: str) -> bool:
    return token.lower() in NUMBER_WORDS or bool(_DIGITS.fullmatch(token.replace(",", "")))


def count_bound(counted: str | None, text: str, kin: frozenset[str]) -> float:
    """1 when a number stands just before the thing counted ("eight children" for "how many kids")."""
    if counted is None:
        return 0.0
    wanted = {stem(counted)} | {stem(k) for k in kin}
    tokens = word_parts(text)
    for i, token in enumerate(tokens):
        if stem(token) in wanted and any(_is_number(t) for t in tokens[max(0, i - 4) : i]):
            return 1.0
    return 0.0


# the words that count people of any kind: "how many people" is met by "160,000 passengers", and
# "how many consumers" by "125 million people"
PEOPLE = frozenset({"people", "persons", "individuals"})
_COUNTED_AFTER = 3  # the thing a number counts stands this many words after it at most ("300 extra nurses")


def counts_people(counted: str | None, text: str, happened: str | None = None) -> bool:
    """The question counts people ("people", or one kind of them) and a number of the sentence
    counts people too, in the general word where the question names a kind or the reverse: not
    "300 doctors" for "how many nurses". People counted by what happened to them are counted by
    the noun WordNet derives from it: "41 deaths" for "how many people died" (`happened`: the
    question's verb after the counted noun: counting.counted_happening)."""
    if counted is None:
        return False
    asked = counted.lower()
    general = asked in PEOPLE
    if not general and not is_person_kind(asked):
        return False
    events = related_stems(happened) if general and happened else frozenset()
    tokens = word_parts(text)
    for i, token in enumerate(tokens):
        if not _is_number(token):
            continue
        if i + 1 < len(tokens) and stem(tokens[i + 1]) in events:
            return True
        for after in tokens[i + 1 : i + 1 + _COUNTED_AFTER]:
            low = after.lower()
            if (low in PEOPLE and not general) or (general and low.isalpha() and is_person_kind(low)):
                return True
    return False


def counts_another_kind(counted: str | None, text: str, kin: frozenset[str]) -> bool:
    """A number counts another thing of the counted thing's kind, and none counts the thing itself:
    "14 months" for "how many years", "three bridges" for "how many tunnels", "four new advisers"
    for "how many students"."""
    if counted is None or count_bound(counted, text, kin):
        return False
    own = {stem(counted)} | {stem(k) for k in kin}
    tokens = word_parts(text)
    if counted.lower() not in PEOPLE and is_person_kind(counted.lower()):
        # people of another kind: "four new advisers" for "how many students"; not "400 members
        # of the National Guard", whose "of" says which people they are
        return any(
            _is_number(token)
            and any(
                w.isalpha()
                and stem(w) not in own
                and w.lower() not in PEOPLE
                and is_person_kind(w.lower())
                and tokens[j + 1 : j + 2] != ["of"]
                for j, w in enumerate(tokens[i + 1 : i + 1 + _COUNTED_AFTER], start=i + 1)
            )
            for i, token in enumerate(tokens)
        )
    classes = {k for k in kinds(counted.lower()) if k[0] != "!"}
    if not classes:
        return False
    return any(
        _is_number(tokens[i - 1])
        and token.isalpha()
        and stem(token) not in own
        and not classes.isdisjoint(kinds(token.lower()))
        for i, token in enumerate(tokens)
        if i > 0
    )


def compactness(text: str, literal: set[str]) -> float:
    """How close together the question's words stand in the sentence: 1 when side by side."""
    at = [i for i, w in enumerate(words(text)) if stem(w) in literal]
    if len(at) < 2:
        return 0.0
    return min(1.0, (len(at) - 1) / (at[-1] - at[0]))


def says_in_order(question: str, text: str) -> bool:
    """Every word of the question that carries meaning stands in the sentence itself (by stem or a
    WordNet synonym; not through a pronoun or a speaker named elsewhere), in the question's order:
    "Did the city close the bridge?" against "the city will close the old bridge in May", not
    "Did the mayor answer the senator?" against "the senator answered the mayor"."""
    asked = content_words(question)
    said = [stem(part) for w in words(text) for part in {w, *w.split("-")} if part]
    # a town after "in", "from" … is a place, not its country's government: "Were any children
    # from Moscow?" is not "… children in Russia"; "Did Moscow agree?" is "Russia agreed", and
    # so is "… write to Moscow's leader" ("Russia's leader")
    located = placed(question)
    at = 0
    for word in asked:
        wanted = {stem(word)} | {
            stem(r) for r in related(word) - (located_in(word) if word in located else set())
        }
        found = next((i for i in range(at, len(said)) if said[i] in wanted), None)
        if found is None:
            return False
        at = found + 1
    return bool(asked)


def _kinds(text: str) -> dict[str, set[str]]:
    """The text's values by kind: numbers (figures and number words), weekdays, months."""
    low = [part for w in words(text) for part in w.lower().split("-") if part]
    return {
        "number": {w for w in low if _is_number(w)},
        "weekday": set(low) & WEEKDAYS,
        "month": set(low) & MONTHS,
    }


def contrasted(question: str, text: str, unknown: Sequence[str]) -> float:
    """1 when a yes/no question checks a value the documents never give ("on a Monday", "more
    than 50") and the sentence gives another of the same kind ("on Friday", "29"): the
    sentence answers it, with a no."""
    if not unknown or not yes_no(question):
        return 0.0
    given = _kinds(text)
    for item in unknown:
        for kind, values in _kinds(item).items():
            if values and given[kind] - values:
                return 1.0
    return 0.0


_NAME_TOKEN = re.compile(r"[A-Za-z]+|\d+")


def name_words(text: str) -> list[str]:
    """The words and figures of a text as a name's parts: a hyphen parts them ("Meridian-1":
    Meridian, 1)."""
    return _NAME_TOKEN.findall(text)


def names_another(named: Sequence[frozenset[str]], text: str) -> float:
    """1 when the sentence names another of a family the question names one of: "Meridian-1" for
    the question's "Meridian-2", "Franklin and Gasconade counties" for "Cole County". `named`: the
    stems of the words of each name of two or more words that the question and the documents
    both give. The sentence has some of the name's words, not all, and beside one of them a
    figure or a name that is not the name's own: it speaks of that one, not the one asked.
    ("Moreira" alone for "Lucas Moreira" is the same man; "the new routes" for "Route 14" names
    no other route.)"""
    tokens = name_words(text)
    stems = [stem(t) for t in tokens]
    for parts in named:
        if parts <= set(stems) or parts.isdisjoint(stems):
            continue
        for i, s in enumerate(stems):
            if s not in parts:
                continue
            for j in (i - 1, i + 1):
                if not 0 < j < len(tokens) or stems[j] in parts:
                    continue  # a capital opening the sentence need not make a name
                if tokens[j].isdigit() or (tokens[j][0].isupper() and tokens[j].lower() not in stopwords()):
                    return 1.0
    return 0.0
