"""The Python API: Assistant.ask and Assistant.stream."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from assistant import offline
from assistant.backends import AnswerBackend, make_backend
from assistant.citations import unsupported_facts, verify
from assistant.config import Settings, load_settings
from assistant.corpus import Corpus, Excerpt
from assistant.documents import Document, LoadResult, load_documents
from assistant.errors import AssistantError, QuestionError
from assistant.guard import check_history, check_question, is_instruction_attack, without_markup
from assistant.index import IndexStore, SyncReport
from assistant.markers import drop_markers
from assistant.messages import REFUSED_TEXT
from assistant.response import Parts, Response
from assistant.retrieval import HybridRetriever
from assistant.types import Answer, Citation, Message, Passage, Query
from assistant.vectors import StoredVectors

log = logging.getLogger(__name__)


class Assistant:
    """Answers questions about the seed documents, each answer with verified citations.

    Opens the index in ASSISTANT_INDEX_DIR (or a Chroma server), building or refreshing
    it from seeds/ first: a second start on unchanged seeds re-embeds nothing.
    """

    def __init__(self, settings: Settings | None = None, backend: AnswerBackend | None = None) -> None:
        offline.apply()
        self.settings = settings or load_settings()
        self.store = IndexStore(self.settings)
        loaded = self._load()
        self.sync_report: SyncReport = self.store.sync(loaded=loaded)
        # the backend before the retriever: what it reads at start (WordNet) loads in the
        # background while the retriever loads the embedding model
        self.corpus = self._corpus(loaded.documents)
        self._own_backend = backend is None
        self.backend = backend or make_backend(self.settings, self.corpus)
        self.retriever = HybridRetriever(self.store, self.settings.top_k)
        self.closed = False

    def close(self) -> None:
        """Let go of the index: its database connections and open files. A process that opens
        many Assistants one after another (one per document, say) closes each when done, or
        uses `with Assistant(...) as bot:`. Asking a closed Assistant raises an AssistantError."""
        if not self.closed:
            self.closed = True
            self.retriever.close()
            self.store.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def backend_name(self) -> str:
        return self.backend.name

    @property
    def model_name(self) -> str | None:
        return self.backend.model

    @property
    def documents(self) -> list[Document]:
        """The seed documents answers are quoted from, by file name."""
        return [self.corpus.documents[source] for source in sorted(self.corpus.documents)]

    def _corpus(self, documents: list[Document]) -> Corpus:
        """The documents, with the sentence vectors and corpus counts the index stored for them."""
        vectors = StoredVectors(lambda: self.retriever.generation, self.store.companion)
        # each document's sentences read from the index when a question first needs them
        corpus = Corpus.of(documents, stored=vectors.sentence_rows)
        corpus.stats = self.store.corpus_stats(documents)
        corpus.vectors = vectors
        return corpus

    def _sources(self, sources: Sequence[str] | str | None) -> tuple[str, ...]:
        """The seed files a question is limited to (none: all), or a QuestionError naming the known ones."""
        if not sources:
            return ()
        listed = [sources] if isinstance(sources, str) else list(sources)
        unknown = [s for s in listed if s not in self.corpus.documents]
        if unknown:
            known = ", ".join(sorted(self.corpus.documents)) or "none"
            raise QuestionError(
                f"no document named {', '.join(repr(u) for u in unknown)}: give the file name of a seed "
                f"document (the documents are: {known})"
            )
        return tuple(dict.fromkeys(listed))

    def context(self, citation: Citation) -> Excerpt:
        """The citation's quote inside its paragraph: what a reader needs to check it in place."""
        return self.corpus.excerpt(citation)

    def ask(
        self, question: str, history: Sequence[Any] | None = None, sources: Sequence[str] | None = None
    ) -> Answer:
        """One answer, with its citations, or an abstention with its reason.

        `sources`: file names of seed documents to limit the question to (default: all of them).
        """
        return self.respond(question, history, sources).answer()

    def retrieve(
        self, question: str, history: Sequence[Any] | None = None, sources: Sequence[str] | None = None
    ) -> tuple[str, list[Passage]]:
        """The standalone question and the passages retrieved for it."""
        text, turns = self._checked(question, history)
        only = self._sources(sources)
        query = self.backend.condense(text, turns)
        return query.search_text, self.retriever.retrieve(query.search_text, sources=only)

    def _checked(self, question: str, history: Sequence[Any] | None) -> tuple[str, list[Message]]:
        """The question (markup taken out) and the history, or a QuestionError saying what is wrong."""
        self._open_or_raise()
        s = self.settings
        return without_markup(check_question(question, s.max_question_chars)), check_history(
            history, s.max_history_turns, s.max_history_chars
        )

    def _open_or_raise(self) -> None:
        if self.closed:
            raise AssistantError(
                "this Assistant was closed (close(), or the end of its `with` block): make a new one to ask again"
            )

    def _load(self) -> LoadResult:
        """The seed documents, each file that cannot be read reported once."""
        loaded = load_documents(self.settings.seeds_dir, max_bytes=self.settings.max_seed_bytes)
        for why in loaded.skipped.values():
            log.warning("seed file skipped: %s", why)
        return loaded

    def refresh(self) -> SyncReport:
        """Read seeds/ again and index what changed, then answer from it.

        Other processes on the same index (the same folder or Chroma server) follow at their
        next question: a newsroom adds a document once and every app answers from it.
        """
        self._open_or_raise()
        loaded = self._load()
        self.sync_report = self.store.sync(loaded=loaded)
        self._follow_the_index(loaded)
        return self.sync_report

    def _follow_the_index(self, loaded: LoadResult | None = None) -> None:
        """After a new index was published (by this process or another), read the seeds it was
        built from (`loaded`, when the caller has just read them)."""
        if not self.retriever.refresh():
            return
        indexed = self.retriever.generation.files
        if indexed == {source: doc.sha256 for source, doc in self.corpus.documents.items()}:
            return
        self.corpus = self._corpus((loaded or self._load()).documents)
        if self._own_backend:
            self.backend = make_backend(self.settings, self.corpus)

    def respond(
        self, question: str, history: Sequence[Any] | None = None, sources: Sequence[str] | None = None
    ) -> Response:
        """The answer as it is written: iterate for text deltas, then `.answer()` for the Answer.

        The question, history and sources are checked at once (a QuestionError is raised here,
        before anything streams).
        """
        text, turns = self._checked(question, history)
        return Response(self._run(text, turns, self._sources(sources)))

    def stream(
        self, question: str, history: Sequence[Any] | None = None, sources: Sequence[str] | None = None
    ) -> Iterator[str | Answer]:
        """Text deltas as they are produced, then the final Answer (whose text they spell)."""
        response = self.respond(question, history, sources)
        yield from response
        yield response.answer()

    def _run(self, text: str, turns: list[Message], sources: tuple[str, ...] = ()) -> Parts:
        if is_instruction_attack(text):
            yield REFUSED_TEXT
            refused = Answer(text=REFUSED_TEXT, abstained=True, reason="refused_instruction")
            return self._finish(refused, Query(text=text), [])
        self._follow_the_index()
        query = self.backend.condense(text, turns).model_copy(update={"sources": sources})
        passages = self.retriever.retrieve(query.search_text, sources=sources, refreshed=True)
        response = self.backend.stream(query, passages)
        yield from response
        return self._finish(response.answer(), query, passages)

    def _finish(self, answer: Answer, query: Query, passages: list[Passage]) -> Answer:
        """Verify every citation against its seed file; one that fails is dropped with its marker."""
        checked: list[Citation] = []
        for citation in answer.citations:
            if verify(citation, self.settings.seeds_dir):
                checked.append(citation)
            else:
                log.error("dropped a citation that is not an exact span of %s: %r", citation.source, citation)
        text, unsupported = answer.text, answer.unsupported
        short = answer.short
        if short is not None and not (
            verify(short, self.settings.seeds_dir)
            and any(c.n == short.n and c.encloses(short) for c in checked)
        ):
            log.error("dropped a short answer that is not a span of its cited quote: %r", short)
            short = None
        if len(checked) < len(answer.citations):
            text = drop_markers(text, keep=[c.n for c in checked])
            unsupported = unsupported_facts(text, checked)
        return answer.model_copy(
            update={
                "text": text,
                "unsupported": unsupported,
                "citations": checked,
                "short": short,
                "question": query.search_text,
                "backend": self.backend.name,
                "model": self.backend.model,
                "passages": passages,
            }
        )
