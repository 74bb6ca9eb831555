"""What the engine knows of the documents before a question: per document, read when first
needed; over the whole corpus, counted once at index time.

A document's facts (each sentence's stems, who speaks in it, who-is-who) depend on that
document alone, so they are worked out for the sentences a question reads, and those of the
last DOCUMENTS_KEPT documents are kept: memory does not grow with the corpus. The corpus-wide
counts (in how many sentences each stem occurs, for IDF; the words the documents use, for
"the documents never mention X") are saved with the index by the build (`CorpusStats.save`)
and read back at start, when they were counted on the same documents by the same code; a
corpus without an index counts them itself.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from assistant.corpus import Corpus
from assistant.extractive.bodies import bodies_meant, bodies_of
from assistant.extractive.lexicon import is_country, is_place, located_in, related
from assistant.extractive.roles import role_holder
from assistant.extractive.speakers import Notes, People, SpeakerNote, described_in, people_of
from assistant.extractive.words import content_words, stem, vocabulary, words

DOCUMENTS_KEPT = 128  # documents whose facts are kept at hand: more than a conversation reads
STATS_FORMAT = 1


def stems_of(text: str) -> set[str]:
    out: set[str] = set()
    for word in content_words(text):
        out.add(stem(word))
        out.update(stem(p) for p in word.split("-") if p)
    return out


def countries_named(text: str) -> set[str]:
    """The stems of the countries the text's proper adjectives and demonyms stand for in WordNet
    ("Danish citizens": Denmark); not those of a place's own name ("Copenhagen", "Germany")."""
    return {
        stem(country)
        for word in words(text)
        if word[:1].isupper() and word.isalpha() and not is_place(word)
        for country in related(word)
        if is_country(country)
    }


def regions_named(text: str) -> set[str]:
    """The stems of the regions and countries of the towns the text names ("the Rotterdam club":
    the Netherlands; "Savannah, Georgia": Georgia, the US)."""
    return {stem(region) for word in words(text) if word[:1].isupper() for region in located_in(word)}


def ungrouped(text: str) -> str:
    """The text with figures written without thousands separators: "35,000" as "35000"."""
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


_TOKEN = re.compile(r"\w+(?:[-.’']\w+)*")


def tokens_of(text: str) -> set[str]:
    """The text's lower-case words, figures ungrouped; a compound ("five-minute") and its parts."""
    out: set[str] = set()
    for token in _TOKEN.findall(ungrouped(text.lower())):
        out.add(token)
        out.update(re.findall(r"\w+", token))
    return out


class DocumentFacts:
    """One document's facts, each sentence's worked out when first asked for (a question reads a
    few sentences of a document, not all): its stems (a quotation's also its speaker's, resolved),
    its speaker note, and the words that describe the people it names (who-is-who)."""

    def __init__(self, corpus: Corpus, source: str) -> None:
        self._sentences = corpus.sentences[source]
        self._notes = Notes(corpus)
        self._stems: dict[int, set[str]] = {}
        self._speakers: dict[int, SpeakerNote | None] = {}
        self._aliases: dict[int, set[str]] = {}
        self._people: People | None = None
        self._bodies: dict[str, set[str]] | None = None
        self._countries: set[str] | None = None
        self._regions: dict[int, set[str]] = {}

    def __len__(self) -> int:
        return len(self._sentences)

    def speaker(self, index: int) -> SpeakerNote | None:
        if index not in self._speakers:
            self._speakers[index] = self._notes._speaker_note(self._sentences[index])
        return self._speakers[index]

    def role_holder(self, index: int) -> SpeakerNote | None:
        """Who holds the role the sentence names its speaker or subject by, and where the document
        says so (roles.py)."""
        if self._people is None:
            self._people = people_of(self._sentences, stems_of)
        return role_holder(self._sentences, self._sentences[index], self._people)

    def stems(self, index: int) -> set[str]:
        if index not in self._stems:
            own = stems_of(self._sentences[index].text)
            note = self.speaker(index)
            if note is not None:  # a quote also "mentions" its speaker, resolved
                own |= stems_of(note[1])
            self._stems[index] = own
        return self._stems[index]

    def aliases(self, index: int) -> set[str]:
        if index not in self._aliases:
            if self._people is None:
                self._people = people_of(self._sentences, stems_of)
            if self._bodies is None:
                self._bodies = bodies_of(self._sentences, stems_of)
            text = self._sentences[index].text
            found = (
                described_in(text, self._people) | countries_named(text) | bodies_meant(text, self._bodies)
            )
            self._aliases[index] = found - self.stems(index)
        return self._aliases[index]

    def regions(self, index: int) -> set[str]:
        """The stems of the regions and countries of the towns the sentence names."""
        if index not in self._regions:
            self._regions[index] = regions_named(self._sentences[index].text) - self.stems(index)
        return self._regions[index]

    def countries(self) -> set[str]:
        """The stems of the countries the document names through an adjective or demonym, and of
        the regions and countries its towns lie in."""
        if self._countries is None:
            text = " ".join(s.text for s in self._sentences)
            self._countries = countries_named(text) | regions_named(text)
        return self._countries


class FactsCache:
    """Each document's facts, worked out when first asked for; the last DOCUMENTS_KEPT kept."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._kept: OrderedDict[str, DocumentFacts] = OrderedDict()

    def __call__(self, source: str) -> DocumentFacts:
        found = self._kept.get(source)
        if found is None:
            found = DocumentFacts(self.corpus, source)
            self._kept[source] = found
            if len(self._kept) > DOCUMENTS_KEPT:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(source)
        return found


_T = TypeVar("_T")


class PerSentence(Generic[_T]):
    """One of the documents' facts, read by (source, sentence index)."""

    def __init__(
        self, facts: Callable[[str], DocumentFacts], read: Callable[[DocumentFacts, int], _T]
    ) -> None:
        self._facts = facts
        self._read = read

    def __getitem__(self, key: tuple[str, int]) -> _T:
        facts = self._facts(key[0])
        if not 0 <= key[1] < len(facts):
            raise KeyError(key)
        return self._read(facts, key[1])

    def get(self, key: tuple[str, int], default: _T | None = None) -> _T | None:
        try:
            return self[key]
        except KeyError:
            return default


@dataclass(frozen=True)
class CorpusStats:
    """Counts over every sentence of the corpus: what IDF and "never mentioned" read."""

    sentences: int
    counts: dict[str, int]  # stem -> sentences that have it
    tokens: frozenset[str]  # tokens_of every document
    words: tuple[str, ...]  # the content words (vocabulary), sorted: what misspellings are mended to

    @classmethod
    def of(cls, corpus: Corpus) -> CorpusStats:
        """Counted over every document (facts worked out one document at a time, not kept)."""
        counts: Counter[str] = Counter()
        tokens: set[str] = set()
        texts: list[str] = []
        for source, doc in corpus.documents.items():
            facts = DocumentFacts(corpus, source)
            for i in range(len(facts)):
                counts.update(facts.stems(i))
            texts += (s.text for s in corpus.sentences[source])
            tokens |= tokens_of(doc.text)
        return cls(len(texts), dict(counts), frozenset(tokens), tuple(vocabulary(texts)))

    def idf(self) -> tuple[dict[str, float], float]:
        """Each stem's IDF, and the IDF a stem the documents do not have is given."""
        n = self.sentences
        return {t: math.log(1 + n / c) for t, c in self.counts.items()}, math.log(1 + n) * 0.6

    # -- kept with the index ---------------------------------------------------------------
    def to_json(self, fingerprint: str) -> str:
        """As kept with the index, with the fingerprint of the documents and code it was counted on."""
        return json.dumps(
            {
                "format": STATS_FORMAT,
                "documents": fingerprint,
                "sentences": self.sentences,
                "counts": self.counts,
                "tokens": sorted(self.tokens),
                "words": list(self.words),
            }
        )

    @classmethod
    def from_json(cls, text: str, fingerprint: str) -> CorpusStats | None:
        """The counts kept, or None when unreadable or counted on other documents or code."""
        try:
            data: Any = json.loads(text)
            if data["format"] != STATS_FORMAT or data["documents"] != fingerprint:
                return None
            return cls(
                int(data["sentences"]),
                {str(k): int(v) for k, v in data["counts"].items()},
                frozenset(data["tokens"]),
                tuple(data["words"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, path: Path, fingerprint: str) -> None:
        """Atomically (a reader never sees half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(self.to_json(fingerprint), encoding="utf-8")
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> CorpusStats | None:
        try:
            return cls.from_json(path.read_text(encoding="utf-8"), fingerprint)
        except OSError:
            return None


def fingerprint(hashes: Iterable[tuple[str, str]]) -> str:
    """Of a set of documents, by (source, sha256), and of the code that counts them (this module,
    words.py, plurals.py with the plurals it read, speakers.py): what saved counts must have been
    counted on."""
    from assistant.extractive import plurals, speakers, words

    digest = hashlib.sha256(json.dumps(sorted(hashes)).encode())
    for module in (__file__, words.__file__, plurals.__file__, speakers.__file__):
        digest.update(Path(module).read_bytes())
    digest.update(str(len(plurals.singulars())).encode())
    return digest.hexdigest()[:32]
