"""Who a sentence says is speaking, and the full names that surnames stand for."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.corpus import Corpus
from assistant.extractive.words import NAME_WORD, SPEECH_VERBS, stopwords
from assistant.splitting import Sentence

SpeakerNote = tuple[str, str, Sentence]  # (mention as written, who it is, the sentence that says so)


@dataclass(frozen=True)
class Speaker:
    """Who a sentence says is speaking, as written ('Smith', 'she', 'the mayor')."""

    mention: str
    start: int  # offset of the mention inside the sentence


_NAME_WORD = r"[A-Z][\w.’]*(?:-[A-Z][\w.’]*)*"  # "Lund", "Anne-Sofie", "Dr."
# the small words inside a surname: "Pieter van Aalst", "Ana de la Cruz", "Omar bin Said"
_PARTICLES = r"(?:(?:van|von|de|der|den|da|das|dos|du|del|della|di|la|le|bin|ibn|ter|ten)\s+)*"
_NEXT_NAME_WORD = r"(?:\s+" + _PARTICLES + _NAME_WORD + r")"
_SURNAME_WORDS = _PARTICLES + rf"{NAME_WORD}(?:-{NAME_WORD})?"  # "Lund", "van Aalst", "Marsh-Whitaker"
_SURNAME = re.compile(_SURNAME_WORDS)
_SPEAKER_AFTER_QUOTE = re.compile(
    r"[,?!]?[”\"]\s*(?P<who>[Tt]he\s+[a-z]+(?:\s+[a-z]+){0,2}|[A-Za-z][\w.’]*(?:-[A-Z][\w.’]*)*"
    + _NEXT_NAME_WORD
    + r"*)\s+(?:"
    + SPEECH_VERBS
    + r")\b"
)
# "…,” said Feyenoord's technical director, Maarten de Wolff.": the speaker after the verb, with
# what describes them ("said NASA program manager Dr. Lorraine Castellanos", "said the mayor")
_SPEAKER_INVERTED = re.compile(
    r"[,?!]?[”\"]\s*(?:"
    + SPEECH_VERBS
    + r")\s+(?!(?:on|in|at|by|during|after|before|late|early|last|this|that)\b)"
    r"(?P<who>[Tt]he\s+[a-z]+(?:\s+[a-z]+){0,2}(?=\s*[.,;]|\s*$)"
    r"|(?:(?:[A-Za-z][\w’'.-]*\s+){0,4}[A-Za-z][\w’'.-]*,\s+)?(?:[A-Za-z][\w’'.-]*\s+){0,4}?"
    + _NAME_WORD
    + _NEXT_NAME_WORD
    + r"*(?=\s*[.,;]|\s*$))"
)
_FULL_STOP = re.compile(r"(?<=[a-z]{2})\.$")
_SPEAKER_FIRST = re.compile(
    # "the mayor", "Mayor Jane Ortiz", "Board chair Gloria Ramirez", "she"
    r"^(?P<who>(?:[Tt]he\s+[a-z]+(?:\s+[a-z]+)?|(?:[A-Z][a-z]+(?:\s+[a-z]+){1,2}\s+)?"
    + _NAME_WORD
    + _NEXT_NAME_WORD
    + r"*|[Ss]he|[Hh]e|[Tt]hey))"
    r"(?:,[^,]{1,80},)?\s+(?:" + SPEECH_VERBS + r"|has said|had said|have said)\b"
)


def speaker(sentence: str) -> Speaker | None:
    """The speaker named by a speech verb, after a closing quote (before the verb or after it:
    "…,” Lund said", "…,” said Lund") or opening the sentence."""
    for pattern in (_SPEAKER_AFTER_QUOTE, _SPEAKER_INVERTED, _SPEAKER_FIRST):
        match = pattern.search(sentence)
        if match:  # a name that ends the sentence, without the full stop: "… said Maarten de Wolff."
            return Speaker(_FULL_STOP.sub("", match.group("who")), match.start("who"))
    return None


_ASKS_SPEECH = re.compile(
    r"\b(?:" + SPEECH_VERBS + r"|say|tell|think|thinks|thought|comment|commented|react|reacted|respond|"
    r"responded|describe|described|call|called|quote|quoted|words)\b",
    re.IGNORECASE,
)


def asks_speech(question: str) -> bool:
    """The question asks what someone said, wrote or thinks ("what did the mayor say about ...")."""
    return _ASKS_SPEECH.search(question) is not None


_WHAT_SAID = re.compile(
    r"^\W*what\s+(?:did|does|do|has|have|had|would|will)\s+\S+(?:\s+\S+){0,3}\s+(?:say|said|tell us)\W*$",
    re.IGNORECASE,
)


def asks_only_what_said(question: str) -> bool:
    """The question asks what someone said and nothing more ("what did Ortiz say?", "What did
    the harbor director say?"): a sentence where that one speaks is the kind of answer asked."""
    return _WHAT_SAID.match(question) is not None


# A run of capitalised words (titles and given names) ending in a surname: "Mayor Jane Ortiz".
_FULL_NAME = re.compile(
    r"(?P<full>(?:(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|Mr\.|Mrs\.|Ms\.|Dr\.)\s+)+(?P<surname>"
    + _SURNAME_WORDS
    + r"))\b"
)


def full_names(text: str) -> Iterable[tuple[str, str, int]]:
    """(full mention, surname, offset) for each 'Title Given Surname' in the text."""
    for match in _FULL_NAME.finditer(text):
        yield match.group("full"), match.group("surname"), match.start("full")


_APPOSITIVE = re.compile(r"^,\s+((?:who|the|a|an|its|his|her|their)\b[^,;.]{3,80})[,;.]")
_ROLE_BEFORE = re.compile(r"((?:\b[a-z][a-z-]+\s+){1,2})$")  # "retired engineer " before a name


@dataclass
class People:
    """The people one document names by full name: the words that describe each surname, the
    surnames each role ("the harbor director") is held by, and those that hold it with no word
    before it ("First Lady Melania Trump", not "Ukrainian First Lady Olena Zelenska")."""

    described: dict[str, set[str]]
    roles: dict[str, set[str]]
    plain: dict[str, set[str]] = field(default_factory=dict)


def people_of(sentences: Sequence[Sentence], stems_of: Callable[[str], set[str]]) -> People:
    """The people named in these sentences (of one document), with what describes them."""
    people = People({}, {})
    for s in sentences:
        for full, surname, at in full_names(s.text):
            rest = s.text[at + len(full) :]
            appositive = _APPOSITIVE.match(rest)
            before = _ROLE_BEFORE.search(s.text[:at])
            role_words = before.group(1).split() if before else []
            while role_words and any(w in stopwords() for w in role_words):
                role_words.pop(0)  # "met with Dorothy Vance": "with" is no title
            titles = [*role_words, *full.split()[:-1]]
            words_of = " ".join([*titles, full]) + (" " + appositive.group(1) if appositive else "")
            people.described.setdefault(surname, set()).update(stems_of(words_of))
            for i in range(len(titles)):  # every run of title words: "harbor director", "director", ...
                for j in range(i + 1, len(titles) + 1):
                    role = "the " + " ".join(titles[i:j]).lower()
                    people.roles.setdefault(role, set()).add(surname)
                    if i in (0, len(role_words)):  # no word of the name's own title before it
                        people.plain.setdefault(role, set()).add(surname)
    return people


def described_in(text: str, people: People) -> set[str]:
    """The words that describe the people a sentence names by surname or by a role one person holds."""
    found: set[str] = set()
    for surname, words in people.described.items():
        if re.search(rf"\b{re.escape(surname)}\b", text):
            found |= words
    for role, holders in people.roles.items():
        if len(holders) > 1:  # held by two: the one who holds it with no qualifier, if one does
            holders = people.plain.get(role, set())
        if len(holders) == 1 and re.search(rf"\b{re.escape(role)}\b", text, re.IGNORECASE):
            found |= people.described[next(iter(holders))]
    return found


def who_is_who(
    sentences: Sequence[Sentence],
    stems: Mapping[tuple[str, int], set[str]],
    stems_of: Callable[[str], set[str]],
) -> dict[tuple[str, int], set[str]]:
    """For each sentence, the words that describe the people it names by surname or by role.

    "Council member Ana Ruiz, who represents the town of Millbrook" makes a later "Ruiz said
    ..." match a question about "the council member from Millbrook"; "Harbor Director Ana Ruiz"
    makes a later "the harbor director said ..." match a question about Ruiz. A role that two
    people of one document hold ("the director") describes neither, unless only one holds it with
    no word before it: beside "Ukrainian First Lady Olena Zelenska", "the first lady" is still
    "First Lady Melania Trump".
    """
    by_source: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_source.setdefault(s.source, []).append(s)
    people = {source: people_of(found, stems_of) for source, found in by_source.items()}
    return {
        (s.source, s.index): described_in(s.text, people[s.source]) - stems[(s.source, s.index)]
        for s in sentences
    }


_PERSONAL = frozenset({"she", "he", "they"})
_LEANS_BACK = re.compile(
    r"^(?:While there|There|Then|Since then|It|This|That|These|Those|She|He|They|Her|His|Their)\b"
    # one of what the sentence before names, by its place alone: "The first is set for April 3"
    r"|^The (?:first|second|third|fourth|fifth|last|latter|former|rest|others|remainder)"
    r"(?= (?:is|are|was|were|will|would|has|have|had|of them)\b|,)"
)


class SpeakerNotes:
    """Who speaks in a sentence given only a surname or a pronoun, and which sentence leans on which.

    A mixin: the class using it provides `corpus`.
    """

    corpus: Corpus

    def _before(self, sentence: Sentence) -> Sentence | None:
        """The sentence this one leans on: an opening pronoun, or a quotation continued."""
        if sentence.index == 0:
            return None
        previous = self.corpus.sentences[sentence.source][sentence.index - 1]
        return (
            previous
            if self._continues_quote(sentence, previous) or _LEANS_BACK.match(sentence.text)
            else None
        )

    @staticmethod
    def _continues_quote(sentence: Sentence, previous: Sentence) -> bool:
        """A quotation with no speaker of its own, after a sentence that names one."""
        return (
            sentence.text.startswith(("“", '"'))
            and speaker(sentence.text) is None
            and speaker(previous.text) is not None
        )

    def _speaker_note(self, sentence: Sentence) -> SpeakerNote | None:
        """For a speaker given only as a surname or a pronoun: who it is, and where that is said."""
        found = speaker(sentence.text)
        if found is None:
            previous = self._before(sentence)
            if previous is None or not self._continues_quote(sentence, previous):
                return None
            return self._speaker_note(previous)
        mention = found.mention
        if mention.lower() in _PERSONAL:
            antecedent = self._previous_speaker(sentence)
            if antecedent is None:
                return None
            who, where = antecedent
            return mention, who, where
        if not _SURNAME.fullmatch(mention):
            return None
        full = self._full_name(sentence, mention)
        return (mention, full[0], full[1]) if full else None

    def _full_name(self, sentence: Sentence, surname: str) -> tuple[str, Sentence] | None:
        """The fullest mention of a person with this surname, nearest before the sentence."""
        best: tuple[int, str, Sentence] | None = None
        for other in self.corpus.sentences[sentence.source]:
            for full, last, _ in full_names(other.text):
                if last != surname or full == surname:
                    continue
                distance = sentence.index - other.index
                rank = distance if distance >= 0 else 10_000 - distance
                if best is None or rank < best[0] or (rank == best[0] and len(full) > len(best[1])):
                    best = (rank, full, other)
        return (best[1], best[2]) if best else None

    def _previous_speaker(self, sentence: Sentence) -> tuple[str, Sentence] | None:
        for other in reversed(self.corpus.sentences[sentence.source][: sentence.index]):
            found = speaker(other.text)
            if found is None or found.mention.lower() in _PERSONAL:
                continue
            mention = found.mention
            if _SURNAME.fullmatch(mention):
                full = self._full_name(other, mention)
                if full:
                    return full
            return mention, other
        return None


class Notes(SpeakerNotes):
    """The speaker notes of a corpus, on their own."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus


@lru_cache(maxsize=1)
def embedding_fingerprint() -> str:
    """The code that makes the texts embedded (embedding_texts): the index keeps it in its manifest."""
    from assistant.extractive import words

    code = Path(__file__).read_bytes() + Path(words.__file__).read_bytes()
    return hashlib.sha256(code).hexdigest()[:16]


def embedding_texts(corpus: Corpus, source: str) -> list[str]:
    """What each sentence of `source` is embedded as: a quotation with who said it ("Jane Smith: “We ...”").

    Depends on that document alone, so the index can embed it once, file by file.
    """
    notes = Notes(corpus)
    texts: list[str] = []
    for sentence in corpus.sentences[source]:
        note = notes._speaker_note(sentence)
        texts.append(f"{note[1]}: {sentence.text}" if note else sentence.text)
    return texts
