"""Whether a sentence holds the kind of answer a question asks for (a number, a date, a name …),
one the conversation does not already give, and how near the question's words it stands."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.extractive.clues import counts_another_kind, counts_people
from assistant.extractive.counting import (
    asks_count,
    counted_happening,
    counted_noun,
    counts_beyond,
    counts_time,
)
from assistant.extractive.dates import VAGUE_TIMES, time_unit_asked, time_values
from assistant.extractive.entities import (
    bare_counts,
    describes,
    entities,
    makes_length,
    measures,
    thing_spans,
    value_places,
)
from assistant.extractive.lexicon import is_country, kinds, related
from assistant.extractive.names import names, names_near, organizations
from assistant.extractive.questions import TYPED, AnswerType, dimension_asked
from assistant.extractive.speakers import asks_speech, speaker
from assistant.extractive.telling import asks_about_telling, told_at
from assistant.extractive.tense import time_asked_tense, told_in_other_tense
from assistant.extractive.terms import Term
from assistant.extractive.words import stem, words
from assistant.splitting import Sentence

_SINCE_WHEN = re.compile(r"\bsince when\b", re.I)
_SINCE = re.compile(r"\bsince\b", re.I)


# "where does she work / study / teach", "where is he based": a body answers it as a place does
_WORKS_AT = re.compile(
    r"\b(?:work(?:s|ed|ing)?|stud(?:y|ies|ied|ying)|teach(?:es|ing)?|taught|employed|based)\b", re.I
)


def unit_asked(main: str, kind: AnswerType) -> str | None:
    """The unit of the time a question asks for ("what year": year; dates.time_unit_asked), if it
    asks for a time."""
    return time_unit_asked(main) if kind is AnswerType.TIME else None


def holds_asked_kind(
    sentence: Sentence,
    before: Sentence | None,
    kind: AnswerType,
    main: str,
    context: str,
    meets: Callable[[Term, Sentence], float],
    continues_quote: Callable[[Sentence, Sentence], bool],
) -> bool:
    """Does the sentence hold something of the kind asked for, that the conversation does not already give?

    A name said in the earlier turns ("Mayor Ortiz's office") is not the answer to "and the
    spokesperson's name?" either. `meets`: how well a sentence meets a term (the counted thing
    of "how many people"); `continues_quote`: the sentence continues the quotation of the one before."""
    if kind not in TYPED:
        return True
    given = entities(main, kind) | (entities(context, kind) if kind is AnswerType.NAME else set())
    if kind is AnswerType.PLACE:  # a place the question names, as itself or by its people ("Ukrainian")
        given |= {r for n in names(main) for w in words(n) for r in {w.lower(), *related(w)}}
    if (
        kind is AnswerType.PERSON
        and asks_speech(main)
        and (speaker(sentence.text) is not None or (before is not None and continues_quote(sentence, before)))
    ):
        return True
    if kind is AnswerType.NAME:
        return names_near(sentence.text, main, given)
    if kind is AnswerType.TIME and _SINCE_WHEN.search(main):
        # "since when" asks when something still going on began: told with "since", by a time or
        # an event ("since she sent him a letter in August", "since he took office"); not "Friday"
        return _SINCE.search(sentence.text) is not None
    text = sentence.text
    if kind is AnswerType.TIME:  # "when will …": not a time that has passed
        text = _of_tense_asked(text, main, given)
        if not asks_about_telling(main):  # nor the day it was told ("…, she announced on Monday")
            text = _blanked(text, [(a, b) for a, b in value_places(text, kind, given) if told_at(text, a, b)])
    counted = counted_noun(main) if kind is AnswerType.NUMBER else None
    if (
        counted is not None
        and meets(Term(counted, stem(counted), 1.0), sentence) < 0.5
        and not bare_counts(text)
        and not counts_people(counted, text, counted_happening(main))
    ):
        return False  # "how many people": "three bridges" does not answer it; "a total of 120" may
    if counted is not None and counts_another_kind(counted, text, related(counted)):
        return False  # "how many years": "14 months" counts another thing of its kind
    if kind is AnswerType.NUMBER and not counts_beyond(main, text):
        return False  # "how many more": a total does not answer it
    if (unit := unit_asked(main, kind)) is not None:
        return bool(time_values(text, unit) - given)
    measure = dimension_asked(main) if kind is AnswerType.NUMBER else None
    if measure is not None:  # "how deep": "14.5 metres", not "40 ship visits"
        return bool(measures(text, measure) - given)
    if kind is AnswerType.NUMBER and asks_count(main):  # "how many lives": not "$12 million"
        # nor, unless a unit of time is counted, a length of time: "how many times" is not
        # answered by "for the past three months"
        lengths = not counts_time(main)
        return bool(
            {
                v
                for _, end, v in thing_spans(text)
                if not (lengths and makes_length(text, end)) and not describes(text, end, counted)
            }
            - given
        )
    if kind is AnswerType.PLACE and _WORKS_AT.search(main):  # "where does she teach": "of Northfield College"
        return bool((entities(text, kind) | organizations(text)) - given)
    found = entities(text, kind) - given
    if kind is AnswerType.PLACE and asks_settlement(main):  # "which towns": a country is none
        found = {p for p in found if not is_country(p)}
    return bool(found)


# What WordNet says a town, a city or a village is a kind of
_SETTLEMENT_KINDS = ("municipality.", "settlement.", "town.", "city.")


def asks_settlement(main: str) -> bool:
    """The question asks for a town, a city or a village ("Which towns …", "what city", "their
    hometowns"), by a common noun WordNet has as a kind of municipality or settlement (a town's
    own name, "Kharkiv", is one of them, not a word for them)."""
    return any(w.islower() and any(k.startswith(_SETTLEMENT_KINDS) for k in kinds(w)) for w in words(main))


def _of_tense_asked(text: str, main: str, given: set[str]) -> str:
    """The text with its times of the other tense blanked, and its loose ones ("soon", "later"),
    when the question says which tense it asks: "took effect in March 2019" does not say when a
    fare rise takes effect."""
    asked = time_asked_tense(main)
    if asked is None:
        return text
    places = value_places(text, AnswerType.TIME, given)
    # each time's tense is read with the times before it blanked: "arrived at 3:12 a.m. on
    # Sunday" tells Sunday's too, whichever time is read first (the full stop of "a.m." ends no
    # clause); the time itself may tell its own ("last month")
    plain = _blanked(text, places)
    told = [(s, e) for s, e in places if told_in_other_tense(asked, plain[:s] + text[s:], s)]
    # "as soon as …" says no time for "when is it expected to take effect"
    vague = [(start, end) for start, end in places if text[start:end].lower() in VAGUE_TIMES]
    return _blanked(text, told + vague)


def _blanked(text: str, places: list[tuple[int, int]]) -> str:
    for start, end in places:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def typed_near(text: str, matched: set[str], typed: bool, kind: AnswerType, main: str) -> float:
    """1 when a value of the kind asked for stands right beside the words the sentence shares with
    the question (`matched`, stems), towards 0 far off; 0 when the sentence holds none (`typed`)."""
    if kind not in TYPED or not typed:
        return 0.0
    anchors = [m.start() for m in re.finditer(r"[\w’'-]+", text) if stem(m.group(0)) in matched]
    values = [start for start, _ in value_places(text, kind, entities(main, kind), things=asks_count(main))]
    if not anchors or not values:
        return 0.0
    distance = min(abs(a - v) for a in anchors for v in values)
    return 1.0 / (1.0 + distance / 30.0)
