"""The values that cross the package boundary: spans, passages, citations and answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

AbstainReason = Literal["not_in_document", "out_of_scope", "refused_instruction"]
Role = Literal["user", "assistant"]


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
    ("" for a question that stands on its own).
    """

    model_config = ConfigDict(frozen=True)
    text: str
    context: str = ""
    history: tuple[Message, ...] = ()

    @property
    def search_text(self) -> str:
        """What retrieval looks for: the question, and the context it leans on."""
        return f"{self.text} {self.context}" if self.context else self.text


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
    question: str = Field("", description="The standalone question that was answered.")
    backend: str = ""
    model: str | None = None
    passages: list[Passage] = Field(default_factory=list, description="What retrieval returned.")
    unsupported: list[str] = Field(
        default_factory=list,
        description="Numbers, dates or names in the answer that none of its cited quotes contain.",
    )
