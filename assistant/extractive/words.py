"""Words of English questions and sentences: tokens, stems, stopwords, and the small word lists.

General English, nothing about any document. The lists are short on purpose: synonyms and
related forms come from WordNet (lexicon.py) and word embeddings, not from lists here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from assistant.extractive.plurals import singulars


def _set(listed: str) -> frozenset[str]:
    """A word list written compactly, one string of space-separated words."""
    return frozenset(listed.split())


WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'\-.,]*[A-Za-z0-9]|[A-Za-z0-9]")

QUESTION_WORDS = _set("who whom whose what which when where why how whats who's what's when's where's")
# Words that carry no topic in a question about a document.
FILLER = _set(
    "tell please say says said according mention mentioned mentions give given kind kinds sort happen happened happens know known many much also ever really actually explain describe quote quoted"
    # indefinite pronouns, which nltk's stop words lack: "did anyone die" asks whether anyone died
    " anyone anybody someone somebody everyone everybody anything something everything"
    # "till" and "til" for until, which nltk's stop words hold
    " till til"
)
# Words that may refer to the document itself ("what does the article say"): weighed lightly.
META_WORDS = frozenset(
    ["announcement", "article", "document", "statement", "text", "report", "story", "news", "piece"]
)
# Irregular English verb forms, so that "sent" meets "send" and "met" meets "meet".
_IRREGULAR = {
    form: base
    for base, forms in {
        "be": "was were been is are am",
        "begin": "began begun",
        "bring": "brought",
        "build": "built",
        "buy": "bought",
        "choose": "chose chosen",
        "come": "came",
        "do": "did done",
        "draw": "drew drawn",
        "drive": "drove driven",
        "eat": "ate eaten",
        "fall": "fell fallen",
        "feel": "felt",
        "fight": "fought",
        "find": "found",
        "fly": "flew flown",
        "forget": "forgot forgotten",
        "get": "got gotten",
        "give": "gave given",
        "go": "went gone",
        "grow": "grew grown",
        "have": "had has",
        "hear": "heard",
        "hide": "hid hidden",
        "hold": "held",
        "keep": "kept",
        "know": "knew known",
        "lead": "led",
        "leave": "left",
        "lose": "lost",
        "make": "made",
        "mean": "meant",
        "meet": "met",
        "pay": "paid",
        "ride": "rode ridden",
        "rise": "rose risen",
        "run": "ran",
        "say": "said",
        "see": "saw seen",
        "seek": "sought",
        "sell": "sold",
        "send": "sent",
        "sit": "sat",
        "speak": "spoke spoken",
        "spend": "spent",
        "stand": "stood",
        "steal": "stole stolen",
        "take": "took taken",
        "teach": "taught",
        "tell": "told",
        "think": "thought",
        "throw": "threw thrown",
        "understand": "understood",
        "wear": "wore worn",
        "win": "won",
        "write": "wrote written",
    }.items()
    for form in forms.split()
}
# A figure read the same in words and in digits ("two firefighters", "the 2 firefighters"): the
# stem of a number word is its digits. Not "one", which is as often a pronoun ("which one").
ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_DIGITS_OF = {w: str(n) for n, w in enumerate(("zero", *ONES, *TEENS)) if w != "one"} | {
    w: str(10 * n) for n, w in enumerate(TENS, start=2)
}
SCALES = ("hundred", "thousand", "million", "billion", "dozen")
PLURAL_SCALES = ("dozens", "hundreds", "thousands", "millions")  # many, without saying how many
# "one" is no number word: as often a pronoun ("which one")
NUMBER_WORDS = frozenset(
    ["zero", *ONES[1:], *TEENS, *TENS, *SCALES, *PLURAL_SCALES, "half", "twice", "thrice"]
)


def as_digits(word: str) -> str:
    """A number word in digits ("Eight": 8), any other word as it is."""
    return _DIGITS_OF.get(word.lower(), word)


MONTHS = _set("january february march april may june july august september october november december")
WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
TIME_WORDS = _set(
    "today yesterday tomorrow tonight morning evening night week weeks month months year years decade decades ago recently earlier later date day days weekend spring summer autumn winter minute minutes hour hours"
)
# Verbs that carry little topic of their own ("get", "take", "make"): weighed lightly.
LIGHT_WORDS = _set(
    "get gets got gotten getting take takes took taken taking make makes made making do does did done doing go goes went gone going come comes came coming put puts keep kept give gives gave given need needs needed use uses used using hold holds held let lets think thinks thought want wants wanted happen happened happening exact exactly actually real really like likes liked way ways thing things"
)
# one word of a name, capitals inside it too: "Lund", "MacAllister", "McDonald", "O'Brien"
NAME_WORD = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)*"
# the titles written before a name, short for a word ("Dr. Quist", "Ms Ortiz")
HONORIFICS = "Mr|Mrs|Ms|Mx|Dr|Prof"
ROLE_NOUNS = _set(
    "president lady minister king queen prince princess chancellor secretary senator governor ambassador spokesperson spokesman spokeswoman leader official officials representative envoy adviser advisor director chairman chair mayor general pope diplomat husband wife"
)
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|continued|continues|concluded|concludes|wrote|writes|"
    "stated|states|explained|noted|announced|revealed|declared|remarked|replied|asked"
)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
PRONOUNS = _set("he she they him her them his hers their it its this that these those there then")


# nltk lists the pieces of "won't", "don't" and "ma'am" as stop words; words() keeps those whole,
# so "won" (the past of "win"), "don" and "ma" (a name, as in Jack Ma) are words of their own.
_WORDS_NOT_PIECES = frozenset(["won", "don", "ma"])


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return (frozenset(_english_stopwords()) - _WORDS_NOT_PIECES) | QUESTION_WORDS | {"s", "’s", "'s"}


def _english_stopwords() -> list[str]:
    """nltk's English stop words, as llama-index ships them, read from their file: importing nltk
    for them (llama-index's way) costs some 20 MB of memory."""
    from assistant.offline import llama_index_static

    cache = llama_index_static("nltk_cache")
    listed = cache / "corpora" / "stopwords" / "english" if cache is not None else None
    if listed is not None and listed.is_file():
        return [line.strip() for line in listed.read_text(encoding="utf-8").splitlines() if line.strip()]
    from llama_index.core.utils import globals_helper

    return list(globals_helper.stopwords)


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


def snowball(word: str) -> str:
    """The Snowball stemmer's stem of a lower-case word, and nothing more."""
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The word's stem, irregular forms first brought to their base ("sent": send, "children": child),
    a number word to its digits ("two": 2), an abbreviation without its dots ("U.S.": us)."""
    low = word.lower()
    if "." in low and low.replace(".", "").isalpha():
        low = low.replace(".", "")  # "U.S." and "US" are one
    return _DIGITS_OF.get(low) or snowball(_IRREGULAR.get(low) or singulars().get(low, low))


def words(text: str) -> list[str]:
    """Words with inner punctuation kept (U.S., 20,000, back-channel), edges stripped."""
    return [w.strip(".,").replace("’", "'") for w in WORD.findall(text)]


def word_parts(text: str) -> list[str]:
    """The text's words, hyphenated ones in their parts ("20-milligram": 20, milligram)."""
    return [part for w in words(text) for part in w.split("-") if part]


# Stopwords that change what is asked ("how many more", "the other five").
_KEEP_STOP: frozenset[str] = frozenset(["more", "other", "further", "again", "most", "few"])


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stopwords, no question or filler words."""
    stop = stopwords()
    out: list[str] = []
    for word in words(text):
        low = word.lower().removesuffix("'s")
        if low and (low not in stop or low in _KEEP_STOP) and low not in FILLER and low not in QUESTION_WORDS:
            out.append(low)
    return out


def is_acronym(word: str) -> bool:
    """NATO, UNICEF, FIFA: two or more capitals, no lower case (U.S. has dots and is not one)."""
    return len(word) >= 2 and word.isalpha() and word.isupper()


def vocabulary(texts: Iterable[str]) -> list[str]:
    """Every content word of the texts, once, sorted: the words the engine compares a question's with."""
    return sorted({w for text in texts for w in content_words(text)})
