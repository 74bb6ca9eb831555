"""The values that cross the package boundary: spans, passages, citations and answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

AbstainReason = Literal["not_in_document", "out_of_scope", "refused_instruction"]
Role = Literal["user", "assistant"]
# What became of a model's reply (None: no model was involved, e.g. the extractive backend):
#   used       the model's answer (or its own NOT_IN_SOURCES / OUT_OF_SCOPE / REFUSED line), shown
#              because it cites at least one source sentence and not every number in it is unsupported
#   replaced   the model's answer could not be checked (no valid citation, or every number
#              unsupported) and was not shown; the extractive answer is shown instead, after a note
#   declined   as replaced, but the extractive engine declines too: the Answer abstains
#   not_asked  the offline engine was confident the documents do not answer: no model was called
#   unchecked  what a model backend alone returns for such a reply (nothing shown); the Assistant
#              turns it into replaced or declined
ModelReply = Literal["used", "replaced", "declined", "not_asked", "unchecked"]


class Message(BaseModel):
    """One turn of the conversation, in the messages format Gradio and OpenAI use."""

    model_config = ConfigDict(extra="ignore")
    role: Role
    content: str

    @field_validator("content", mode="before")
    @classmethod
    def _text_of_parts(cls, value: object) -> object:
        """Accept content given as a list of parts ({"type": "text", "text": ...})."""
        if isinstance(value, list):
            return " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in value)
        return value


class Query(BaseModel):
    """What a backend answers: the question as it stands alone, and the turns it drew on.

    `text` is the question as asked (markup taken out) or a standalone rewrite of a
    follow-up; `context` holds the earlier question(s) an elliptical follow-up leans on
    ("" for a question that stands on its own); `answer` the last answer's words when the
    follow-up has a pronoun ("who said that?"), which most often stands for what it named.
    """

    model_config = ConfigDict(frozen=True)
    text: str
    context: str = ""
    answer: str = Field(
        "", description="The previous answer a follow-up with a pronoun is read with, without markers."
    )
    history: tuple[Message, ...] = ()
    sources: tuple[str, ...] = Field((), description="Only these seed files are searched (all when empty).")

    @property
    def search_text(self) -> str:
        """What retrieval looks for: the question, and the question and answer it leans on."""
        return " ".join(part for part in (self.text, self.context, self.answer) if part)


class Span(BaseModel):
    """A half-open character range [start, end) of one seed file: its text[start:end].

    Sentences, chunks, passages and citations are spans; offsets count characters of the
    file as read in UTF-8 text mode.
    """

    model_config = ConfigDict(frozen=True)
    source: str = Field(description="File name under seeds/.")
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        """Both in the same file, sharing at least one character."""
        return self.source == other.source and self.start < other.end and other.start < self.end

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end

    def encloses(self, other: Span) -> bool:
        """Both in the same file, the other wholly inside this one."""
        return self.source == other.source and self.start <= other.start and other.end <= self.end


class Passage(Span):
    """A retrieved chunk: an exact span of a seed file, with its fused rank."""

    id: str
    text: str
    score: float = 0.0


class Citation(Span):
    """A quote that is exactly seeds/<source>[start:end]."""

    n: int = Field(description="The [n] marker in the answer text.")
    quote: str
    title: str = ""
    date: str | None = None


class Answer(BaseModel):
    """What every front end shows: the text, its citations, or why there is no answer."""

    text: str
    abstained: bool = False
    reason: AbstainReason | None = None
    citations: list[Citation] = Field(default_factory=list)
    short: Citation | None = Field(
        None,
        description="The short answer that opens the text (a number, date, amount, length of time), "
        "as its exact span inside the quote of citation `short.n`; None when there is none, and for "
        "a plain yes, which no span of the source spells.",
    )
    question: str = Field("", description="The standalone question that was answered.")
    backend: str = ""
    model: str | None = None
    passages: list[Passage] = Field(default_factory=list, description="What retrieval returned.")
    unsupported: list[str] = Field(
        default_factory=list,
        description="Numbers, dates or names in the answer that none of its cited quotes contain.",
    )
    incomplete: bool = Field(
        False,
        description="The model's reply was cut off (its token limit, or a stream that ended early): "
        "the text may stop mid-sentence and must not be taken as the whole answer.",
    )
    model_reply: ModelReply | None = Field(
        None, description="What became of the model's reply (see ModelReply); None when no model was used."
    )
