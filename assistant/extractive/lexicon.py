"""General English word knowledge from WordNet: synonyms, related forms, demonyms, capitals;
and the question's words without what says nothing about its topic (emphasis, honorifics, a
preface about the asker).

WordNet is read by wordnet.py, or from the table of its relations (wordnet_table.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.extractive.rarity import zipf
from assistant.extractive.spellings import synsets as spelt_synsets
from assistant.extractive.wordnet import exceptions, look_up, wordnet_dir
from assistant.extractive.words import HONORIFICS, content_words, stem, stopwords


@lru_cache(maxsize=8192)
def related(word: str) -> frozenset[str]:
    """Lower-case words WordNet relates to `word`: synonyms, derived forms, the country of a
    demonym ("French": france; "Germans", through the adjective German: germany) or of a
    capital ("Moscow": russia). Empty without WordNet."""
    return look_up(word, 0, _related)


def _related(wn: Any, word: str) -> frozenset[str]:
    out: set[str] = set()
    synsets = spelt_synsets(wn, word)[:6]  # "Kyiv": WordNet's Kyyiv (Kiev)
    peoples = [
        s
        for s in synsets
        if s.lexname() in ("noun.person", "noun.communication")
        and any(lemma.name()[:1].isupper() for lemma in s.lemmas())
    ]
    if peoples:
        # a people or their language, by a name of its own ("the Germans", "Ukrainians", "Polish"
        # after a polish that is a finish): the adjective's country
        out.update(place for lemma in peoples[0].lemmas() for place in _places_of(wn, lemma.name()))
    elif not synsets and word.endswith("s"):
        out.update(_places_of(wn, word[:-1]))  # "Ghanaians": WordNet has only the adjective Ghanaian
    for synset in synsets:
        for lemma in synset.lemmas():
            out.add(lemma.name().lower())
            out.update(p.name().lower() for p in lemma.pertainyms())
            out.update(d.name().lower() for d in lemma.derivationally_related_forms())
        capital = [h.name() for h in synset.instance_hypernyms() if h.name().startswith(_CAPITALS)]
        if capital:
            out.update(_place_words(wn, synset.part_holonyms()))
        if any(h.startswith("national_capital") for h in capital):  # Ottawa: Ontario, and Canada
            out.update(_place_words(wn, _countries_holding(synset)))
        # a building or street of a capital stands for its government: "the Kremlin": Moscow, Russia
        for whole in synset.part_holonyms():
            if any(h.name().startswith("national_capital") for h in whole.instance_hypernyms()):
                out.update(_place_words(wn, [whole, *_countries_holding(whole)]))
        if synset.lexname() == "noun.person":  # "the Russians": a native or inhabitant of Russia
            out.update(w for w in synset.definition().split() if w[:1].isupper() and w.isalpha())
        if any(lemma.name() == word.upper() for lemma in synset.lemmas()):
            # an acronym: the words of what it stands for ("UN": united, nations)
            phrases = [lemma.name().split("_") for lemma in synset.lemmas() if "_" in lemma.name()]
            out.update(w for phrase in phrases for w in phrase if w.lower() not in stopwords())
    out = {w.lower() for w in out if "_" not in w}
    out.discard(word.lower())
    return frozenset(out)


_CAPITALS = ("national_capital", "state_capital")
PLACE_KINDS = (*_CAPITALS, "city", "port")  # what WordNet has a city or a capital as (and a country)
_TOWNS = (*_CAPITALS, "provincial_capital", "city", "port", "town")
COMMON_PART_ZIPF = 5.0  # "south" of "South Korea", "united" of "United Kingdom": too common to name it


def _place_words(wn: Any, synsets: list[Any]) -> set[str]:
    """The places' names, a name of several words by those of its words that name something
    themselves and are not common ("South_Korea": korea; "Russian_Federation": russian, not
    federation; "Czech_Republic": czech)."""
    out: set[str] = set()
    for synset in synsets:
        names = [lemma.name().lower().split("_") for lemma in synset.lemmas()]
        out.update(parts[0] for parts in names if len(parts) == 1)
        out.update(p for parts in names if len(parts) > 1 for p in parts if _only_a_name(wn, p))
        shortest: list[str] = min((parts for parts in names if len(parts) > 1), key=len, default=[])
        if not any(_only_a_name(wn, p) for p in shortest):  # "Sri_Lanka": its words but common ones
            out.update(p for p in shortest if zipf(p) < COMMON_PART_ZIPF)
    return out


def _only_a_name(wn: Any, word: str) -> bool:
    """WordNet has the word as a name ("Korea", "Arabia") and as nothing else ("south",
    "republic", "democratic" are words too)."""
    lemmas = [lemma.name() for synset in wn.synsets(word) for lemma in synset.lemmas()]
    same = [name for name in lemmas if name.lower() == word]
    return bool(same) and all(name[:1].isupper() for name in same)


def _places_of(wn: Any, word: str) -> set[str]:
    """The countries and cities an adjective of the same spelling pertains to ("German": germany)."""
    return {
        place.name().lower()
        for synset in wn.synsets(word, pos="a")
        for lemma in synset.lemmas()
        for place in lemma.pertainyms()
        if any(
            "country" in k.name() or k.name().startswith((*_CAPITALS, "city"))
            for k in place.synset().instance_hypernyms()
        )
    }


def _countries_holding(synset: Any, hops: int = 3) -> list[Any]:
    """The country a place lies in, up WordNet's part-of links (Ottawa in Ontario in Canada; New
    Delhi in Delhi in India); none found within `hops` links."""
    out: list[Any] = []
    for whole in synset.part_holonyms():
        if any("country" in k.name() or k.name().startswith("kingdom") for k in whole.instance_hypernyms()):
            out.append(whole)
        elif hops > 1:
            out.extend(_countries_holding(whole, hops - 1))
    return out


@lru_cache(maxsize=8192)
def located_in(word: str) -> frozenset[str]:
    """Lower-case words naming the region and country a town lies in ("Rotterdam": netherlands;
    "Lagos": nigeria; "Savannah": georgia, us). A sentence that names the town names them too; a
    question's town does not stand for them (Seattle is not Tacoma, though both are in Washington)."""
    return look_up(word, 3, _located_in)


def _located_in(wn: Any, word: str) -> frozenset[str]:
    out: set[str] = set()
    for synset in spelt_synsets(wn, word, pos="n")[:3]:
        if any(h.name().startswith(_TOWNS) for h in synset.instance_hypernyms()):
            out.update(_place_words(wn, [*synset.part_holonyms(), *_countries_holding(synset)]))
    out.discard(word.lower())
    return frozenset(out)


@lru_cache(maxsize=8192)
def knows(word: str) -> bool:
    """WordNet has the word: it relates it to another, a broader word or a kind."""
    return bool(related(word) or broader(word) or kinds(word))


@lru_cache(maxsize=1)
def verb_bases() -> dict[str, frozenset[str]]:
    """The bases of the verb forms WordNet's rules cannot undo ("laid": lay; "broke": break)."""
    return {form: frozenset(bases) for form, bases in exceptions(wordnet_dir(), "verb")}


@lru_cache(maxsize=1)
def irregular_past() -> frozenset[str]:
    """The past forms of English's irregular verbs, from WordNet's list of the verb forms its
    rules cannot undo ("said", "won", "took", "began"); not its "-ing" forms, nor "is", "has"
    and the like, which end in "s" (empty without WordNet)."""
    return frozenset(f for f in verb_bases() if f.isalpha() and not f.endswith(("ing", "s")))


def past_form(word: str) -> bool:
    """The word reads as a verb in the past: an irregular one ("left", "met") or one in "-ed"
    of five letters or more ("signed", not "red" or "bed")."""
    low = word.lower()
    return low in irregular_past() or (len(low) > 4 and low.endswith("ed"))


def is_country(word: str) -> bool:
    """WordNet has the word as a country ("denmark": a European country)."""
    return any("country" in k for k in kinds(word))


def is_currency(word: str) -> bool:
    """WordNet has the word as a unit of money ("kroner": a Norwegian monetary unit; "cents")."""
    return any("monetary_unit" in k for k in kinds(word))


# the units one measures a size, a weight, a volume or a power with (WordNet's kinds of unit): not
# of time, money or angle, nor a "political unit" ("states")
_UNITS_OF = {"length": "linear", "weight": "weight|avoirdupois|troy"}
_MEASURE_UNIT = re.compile(rf"(?:{'|'.join(_UNITS_OF.values())}|area|capacity|liquid|volume|power)_unit\b")
_UNIT_OF = {measure: re.compile(rf"(?:{kinds_of})_unit\b") for measure, kinds_of in _UNITS_OF.items()}


def is_unit_of_measure(word: str, measure: str | None = None) -> bool:
    """WordNet has the word as a unit of length, area, weight, volume or power: "metres", "acres",
    "grams", "gallons", "megawatts"; not "villages", "hours", "states" or "degrees". `measure`
    ("length", "weight"): a unit of that only."""
    pattern = _MEASURE_UNIT if measure is None else _UNIT_OF[measure]
    return any(pattern.search(k) for k in kinds(word))


@lru_cache(maxsize=8192)
def is_place(word: str) -> bool:
    """WordNet has the word as a country, city or capital ("Copenhagen", "Germany")."""
    return is_country(word) or any(k.startswith(PLACE_KINDS) for k in kinds(word))


# WordNet's classes of the places where something can happen or stand: a noun that is a kind of
# one of these ("the town hall", "a high school gymnasium", "the river") answers "where".
_PLACE_CLASSES = frozenset(
    [
        "location.n.01",
        "structure.n.01",
        "facility.n.01",
        "geographical_area.n.01",
        "building.n.01",
        "room.n.01",
        "body_of_water.n.01",
        "way.n.06",
    ]
)
_WATERS_AND_WAYS = frozenset(["body_of_water.n.01", "way.n.06"])  # of _PLACE_CLASSES: not a building
PERSON_CLASS = "person.n.01"  # a noun that is a kind of it ("passengers", "nurses") names people
_NOUN_CLASSES = _PLACE_CLASSES | {PERSON_CLASS}
PLACE_SENSES = 3  # a word's first noun senses read: "hall" as a corridor or a building, not rarer ones


@lru_cache(maxsize=8192)
def is_location(word: str) -> bool:
    """One of the word's first noun senses is a kind of place in WordNet (`_PLACE_CLASSES`):
    "hall", "gymnasium", "river", "embassy"; not "war", "meeting", "statement"."""
    return not look_up(word, 4, _noun_classes).isdisjoint(_PLACE_CLASSES)


@lru_cache(maxsize=8192)
def is_water_or_way(word: str) -> bool:
    """One of the word's first noun senses is water or a way: "rivers", "bay", "avenue", "road"."""
    return not look_up(word, 4, _noun_classes).isdisjoint(_WATERS_AND_WAYS)


@lru_cache(maxsize=8192)
def is_person_kind(word: str) -> bool:
    """One of the word's first noun senses is a kind of person in WordNet: "passengers",
    "consumers", "nurses", "residents"; not "bridges", "flights", "jobs"."""
    return PERSON_CLASS in look_up(word, 4, _noun_classes)


def _noun_classes(wn: Any, word: str) -> frozenset[str]:
    out = set()
    for synset in wn.synsets(word, pos="n")[:PLACE_SENSES]:
        for c in synset.closure(lambda s: s.hypernyms() + s.instance_hypernyms()):
            # one named person ("Bridges": Harry Bridges) makes no kind of people of the word
            if c.name() in _PLACE_CLASSES or (c.name() == PERSON_CLASS and not synset.instance_hypernyms()):
                out.add(c.name())
    return frozenset(out)


@lru_cache(maxsize=8192)
def broader(word: str) -> frozenset[str]:
    """Lower-case words one step more general in WordNet ("hike": increase, raise)."""
    return look_up(word, 1, _broader)


def _broader(wn: Any, word: str) -> frozenset[str]:
    out = {
        lemma.name().lower()
        for synset in wn.synsets(word)[:3]
        for hypernym in synset.hypernyms()
        for lemma in hypernym.lemmas()
    }
    return frozenset(w for w in out if "_" not in w and w != word.lower())


@lru_cache(maxsize=8192)
def kinds(word: str) -> frozenset[str]:
    """What the word is a kind of in WordNet (the synsets one step more general, by name, instance
    ones too) and its opposites, each marked "!": "September" and "August" are both Gregorian
    calendar months; "urban" has "!rural"."""
    return look_up(word, 2, _kinds)


def _kinds(wn: Any, word: str) -> frozenset[str]:
    out: set[str] = set()
    for synset in spelt_synsets(wn, word)[:4]:
        out.update(h.name() for h in synset.hypernyms() + synset.instance_hypernyms())
        out.update("!" + a.name().lower() for lemma in synset.lemmas() for a in lemma.antonyms())
    return frozenset(out)


_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|`+)(?=\S)(.+?)(?<=\S)\1")
_HONORIFIC = re.compile(
    rf"\b(?:(?i:{HONORIFICS})\.\s+"  # with its period, before any name: "mr. van aalst"
    rf"|(?:{HONORIFICS}|Miss|Sir|Madam)\s+(?=[A-Z]))"
)


_UNAPOSTROPHISED = re.compile(r"\b(who|what|where|when|how)s\b", re.I)


def plain_question(text: str) -> str:
    """The question without markdown emphasis or honorifics, which say nothing about the topic,
    and a question word's "'s" with its apostrophe, typed without it.

    "**How many** did Ms. Ortiz fix?" reads as "How many did Ortiz fix?".
    """
    text = _EMPHASIS.sub(r"\2", text)
    text = _HONORIFIC.sub("", text)
    text = _UNAPOSTROPHISED.sub(r"\1's", text)  # "whos her envoy" as "who's her envoy"
    return re.sub(r"[*_`#>]+", " ", text).strip() or text


_ASKING = re.compile(
    r"(?:^|(?<=[.:;!?—–])\s+|\s-\s+)((?:how|what|what's|whats|which|who|whom|whose|when|where|why|is|are|was|were|"
    r"do|does|did|will|would|can|could|should|shall|may|might|must|has|have|had)\b[^.:;!?]*\?)\s*$",
    re.I,
)


def preface_and_question(text: str) -> tuple[str, str]:
    """A question that opens with words about the asker ("I take the bus every day. What will I pay?",
    "Pretend I know nothing: how many ...?", "I run a charity — what did she promise?") split into
    that preface and the question proper."""
    match = _ASKING.search(text)
    if match is None or match.start(1) == 0 or not content_words(match.group(1)):
        return "", text  # "My son wants to know what it will measure. Can you explain?": all of it
    return text[: match.start(1)].strip(), match.group(1)


@lru_cache(maxsize=8192)
def related_stems(word: str) -> frozenset[str]:
    """The stems of the word's relations (`related`): what a sentence's stems are matched against
    (an abbreviation as a sentence's words have it, without its final dot: "u.s." as "U.S")."""
    return frozenset(stem(r.rstrip(".")) for r in related(word))


@lru_cache(maxsize=8192)
def broader_stems(word: str) -> frozenset[str]:
    """The stems of the words one step more general (`broader`)."""
    return frozenset(stem(r.rstrip(".")) for r in broader(word))
