"""Names in a text and who or what they name: people, bodies, places; the doers of passives."""

from __future__ import annotations

import re

from assistant.extractive.lexicon import is_country, is_location, is_place, is_water_or_way, related
from assistant.extractive.rarity import zipf
from assistant.extractive.words import (
    HONORIFICS,
    MONTHS,
    NAME_WORD,
    ROLE_NOUNS,
    WEEKDAYS,
    content_words,
    stem,
    stopwords,
    words,
)

NAME_WINDOW = 4  # a name answering "X's name" stands within this many words of X
_CAPITALISED = re.compile(rf"\b{NAME_WORD}(?:\s+(?:{NAME_WORD}|[A-Z]\.))*")
_OPENS = re.compile(r"(?:^|[.!?“”‘’\"')]\s*)$")
# A word this common in English ("The", "Since", "New", "President") may only be capitalised
# because it opens the sentence, and one in capitals ("AM", "II") is still that word; a rarer one
# ("Calloway", "Missouri", "NASA") is a name: "Calloway University in Savannah …".
COMMON_WORD_ZIPF = 5.0
_PLACE = re.compile(
    r"\b(?:in|at|from|to|across|near|inside|outside)\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)"
)


def names(text: str) -> list[str]:
    """Capitalised word runs, each once, in the text's order (what a reply lists is worded the
    same in every process). A run that opens a sentence loses its first word when that word is
    alone or a common one: "Trump said" and "The White House" name "White House" only."""
    found = []
    for match in _CAPITALISED.finditer(text):
        run = match.group(0)
        if _OPENS.search(text[max(0, match.start() - 3) : match.start()]):
            first, *rest = run.split(maxsplit=1)
            if not rest or first.lower() in stopwords() or zipf(first.lower()) >= COMMON_WORD_ZIPF:
                run = rest[0] if rest else ""
        if run:
            found.append(run)
    return list(dict.fromkeys(found))


_ACRONYM = re.compile(r"\b[A-Z][A-Z&]*[A-Z]\b")


def acronyms(text: str) -> set[str]:
    """Names written in capitals ("NASA", "EUMETSAT", "FDA"), lower-cased; not a common word
    in capitals ("10 AM", "World War II")."""
    found = {m.group(0).lower() for m in _ACRONYM.finditer(text)}
    return {a for a in found if zipf(a) < COMMON_WORD_ZIPF}


def name_stems(text: str) -> set[str]:
    """The stems of the words of the text's names, stopwords aside ("Bank of England": bank, england)."""
    return {stem(w) for n in names(text) for w in words(n) if w.lower() not in stopwords()}


def roles(text: str) -> set[str]:
    return {w.lower() for w in words(text)} & ROLE_NOUNS


# The doer of a passive ("paid for by the national government", "opposed by two councillors"):
# a past participle, "by", and its words up to the first that is not a noun phrase's ("in",
# "who", a comma); not "by 2026".
_AGENT = re.compile(
    r"\b[a-z]+(?:ed|en|t|de|id|ld|un|wn|on)\s+(?:for\s+|up\s+|out\s+)?by\s+"
    r"(?P<agent>(?:(?:the|a|an|its|their|his|her)\s+)?[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3})"
)


def agents(text: str) -> set[str]:
    """The doers of the text's passives, lower-cased: a body or people named by common nouns
    answer "who" as well as a name does ("Who paid for it?": "paid for by the national government")."""
    found = set()
    for match in _AGENT.finditer(text):
        first, *rest = match.group("agent").split()
        kept = [first]
        for word in rest:
            if word.lower() in stopwords():
                break
            kept.append(word)
        found.add(" ".join(kept).lower())
    return found


def not_a_person(name: str) -> bool:
    """A one-word name that is a month, a weekday ("on Fridays" too), or a country or city WordNet
    knows ("in Savannah, Georgia, on Friday"): a place or a time, not a person; "Savannah Reyes"
    is a person."""
    low = name.lower()
    return " " not in name and (low in MONTHS or low.removesuffix("s") in WEEKDAYS or is_place(name))


_TITLED = re.compile(rf"\b(?:{HONORIFICS})\.?\s*$")  # a name right after these is a person's


def organizations(text: str) -> set[str]:
    """Names that could be a body's, lower-cased: a name of several words ("Harlan Bank
    Foundation"), an acronym ("UNICEF"), or a one-word name that is neither a place nor a time
    nor part of a longer name the text gives ("made by Pfizer", "from Fluminense"; not the
    "Moreira" of "Lucas Andrade Moreira … Moreira said"). Not a person named with a title
    ("Governor Margaret Ellison", "Dr. Samuel Otieno"), nor a place ("built in the United States")."""
    found = names(text)
    parts = {w for n in found if " " in n for w in n.split()}
    where = {w.rstrip(".") for w in placed(text)}
    bodies = {
        n
        for n in found
        if (" " in n or (n not in parts and not not_a_person(n)))
        # not a person by their title ("Governor Margaret Ellison", "Dr. Samuel Otieno"), nor a place
        # ("built in the United States")
        and ROLE_NOUNS.isdisjoint(w.lower() for w in n.split())
        and not _TITLED.fullmatch(n)
        and not _TITLED.search(text[: text.find(n)])
        and not all(w.lower() in where for w in n.split())
        and not _names_a_place(text, n)
    }
    return {n.lower() for n in bodies} | acronyms(text)


def _names_a_place(text: str, name: str) -> bool:
    """The name stands before a common noun of water or of a way: "the Severn and Wye rivers", "the
    Harlow road" name places, not bodies (a building's kind would not do: "the Halvorsen plant")."""
    return any(
        m.group(1).lower() not in stopwords() and is_water_or_way(m.group(1).lower())
        for m in re.finditer(re.escape(name) + r"(?:\s+and\s+[A-Z][a-z]+)?\s+([a-z]+)\b", text)
    )


def placed(text: str) -> set[str]:
    """The lower-cased words of the names after "in", "at", "from" …: places there, not their
    governments ("children from Moscow"; not "a letter to Moscow's leader")."""
    return {
        word.lower()
        for m in _PLACE.finditer(text)
        if not re.match(r"['’]s\b", text[m.end() :])
        for word in m.group(1).split()
    }


# After these a name is a place only when its last word names a kind of place: "on Mill Lane",
# "along Harbour Road"; not "on Friday", "on Twitter". Not "by": "funded by the State Department".
_PLACE_IF_NAMED_SO = re.compile(
    r"\b(?:on|along|off|beside|behind|opposite|past)\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)+)"
)


def places(text: str) -> set[str]:
    """Names after "in", "at", "from" …, any country or city WordNet knows, wherever it stands
    ("Oman has acted as a go-between"), a place named by common nouns after "in", "at", "from" …
    ("operated from the town hall"), and a name ending in a kind of place after "on", "along" …
    ("the old hospital on Mill Lane")."""
    found = {m.group(1) for m in _PLACE.finditer(text)} | _common_places(text)
    found |= {
        name
        for m in _PLACE_IF_NAMED_SO.finditer(text)
        if is_location((name := m.group(1).rstrip(".")).split()[-1].lower())
    }
    return found | {w for w in words(text) if w[:1].isupper() and w.isalpha() and is_place(w)}


_PLACE_PHRASE = re.compile(
    r"\b(?:in|at|on|from|inside|outside|near|along|across|beside|behind|into|onto)\s+"
    r"(?:the|a|an|its|their|his|her|our)\s+"
    r"(?=(?P<words>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}))"  # not consumed: "in a lab in the basement"
)


def _common_places(text: str) -> set[str]:
    """Places named by common nouns after a preposition of place: the longest run of up to three
    words that ends in a noun WordNet has as a place ("a high school gymnasium", "the town hall";
    not "in the war", "at the time")."""
    found = set()
    for match in _PLACE_PHRASE.finditer(text):
        run = match.group("words").split()
        for end in range(len(run), 0, -1):
            if run[end - 1] not in stopwords() and is_location(run[end - 1]):
                found.add(" ".join(run[:end]))
                break
    return found


def _not_a_name_of_its_own(word: str) -> bool:
    """A one-word name that names no thing of its own: a common word capitalised ("“My …"), a
    day, a month, a place, or a people's adjective ("a Danish charity"); a ship "named Aurora"
    is named."""
    return " " not in word and (
        zipf(word.lower()) >= COMMON_WORD_ZIPF
        or not_a_person(word)
        or any(is_country(r) for r in related(word))
    )


def names_near(text: str, main: str, given: set[str]) -> bool:
    """A name, new to the question, standing right beside a word the question asks the name of, or
    one WordNet relates to it ("The Danes are Jonas Kjeldsen …" for "the two Danish citizens")."""
    asked = [w for w in content_words(main) if not w.startswith("name")]
    focus = {stem(w) for w in asked}
    kin = {stem(r) for w in asked for r in related(w)}
    tokens = [(m.start(), m.group(0).strip(".,’'")) for m in re.finditer(r"[\w’'.-]+", text)]
    anchors = [
        i
        for i, (_, t) in enumerate(tokens)
        if stem(t) in focus or (t.isalpha() and not kin.isdisjoint({stem(t), *(stem(r) for r in related(t))}))
    ]
    for found in re.finditer(rf"(?<!^)(?<![.!?“]\s)\b{NAME_WORD}(?:\s+{NAME_WORD})*", text):
        if found.group(0).lower() in given or _not_a_name_of_its_own(found.group(0)):
            continue
        at = next(i for i, (start, _) in enumerate(tokens) if start >= found.start())
        if any(abs(at - a) <= NAME_WINDOW for a in anchors):
            return True
    return False
