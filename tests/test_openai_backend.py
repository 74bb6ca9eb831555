"""The openai backend against a real HTTP server on loopback that speaks the Chat Completions API."""

from __future__ import annotations

import logging
import random
import re
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS, make_settings, openai_bots
from openai_server import (
    Behaviour,
    FakeOpenAI,
    Request,
    delayed,
    error,
    pieces,
    raw,
    raw_sse,
    reply,
)

from assistant import (
    Answer,
    Assistant,
    BackendAuthError,
    BackendError,
    BackendRateLimited,
    BackendReplyError,
    ConfigError,
)
from assistant.backends.openai import MarkerFilter, OpenAIBackend, retries, sentinel_of
from assistant.corpus import Corpus
from assistant.markers import drop_markers

pytestmark = [pytest.mark.server, pytest.mark.usefixtures("fast_backoff")]

SECRET = "SECRET123"
KEY = f"sk-test-{SECRET}"
EIGHT = "eight children separated during the war"  # in "The first lady said that due to ..."
EIGHT_Q = "How many children separated during the war have been reunited with their families?"


@pytest.fixture
def make_bot(server: FakeOpenAI, shared_index: Path) -> Any:
    return openai_bots(
        server, shared_index, openai_api_key=KEY, model="llama3.2:1b", max_retries=2, timeout_s=1.0
    )


def run(
    bot: Assistant, question: str, history: list[dict[str, str]] | None = None
) -> tuple[list[str], Answer]:
    """The streamed deltas and the final Answer."""
    deltas: list[str] = []
    final: Answer | None = None
    for part in bot.stream(question, history=history or []):
        if isinstance(part, Answer):
            assert final is None, "more than one Answer"
            final = part
        else:
            assert final is None, "a delta after the Answer"
            deltas.append(part)
    assert final is not None
    return deltas, final


def cites(needle: str, template: str) -> Any:
    """A reply built from the prompt: `template` with {n} = the number of the source holding `needle`."""
    return lambda request: template.format(n=request.source_number(needle))


def seed_text(source: str) -> str:
    return (SEEDS / source).read_text(encoding="utf-8")


def no_secret(exc: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    assert SECRET not in str(exc)
    assert SECRET not in repr(exc)
    assert exc.__cause__ is None
    assert exc.__context__ is None, "an openai exception is chained"
    assert SECRET not in caplog.text
    for record in caplog.records:
        assert SECRET not in record.getMessage()


# -- answers ------------------------------------------------------------------------------------
def test_streamed_deltas_spell_the_answer_and_citations_are_exact_spans(
    server: FakeOpenAI, make_bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script(
        reply(
            cites(
                EIGHT, "The first lady said eight children have been reunited [{n}]. The work goes on [{n}]."
            ),
            pieces(3),
        )
    )
    deltas, answer = run(make_bot(), EIGHT_Q)

    assert len(deltas) > 3
    assert "".join(deltas) == answer.text
    assert not answer.abstained
    assert answer.reason is None
    n = server.requests[0].source_number(EIGHT)
    assert (
        answer.text == f"The first lady said eight children have been reunited [{n}]. The work goes on [{n}]."
    )
    assert [c.n for c in answer.citations] == [n]
    citation = answer.citations[0]
    assert seed_text(citation.source)[citation.start : citation.end] == citation.quote
    assert EIGHT in citation.quote
    assert answer.unsupported == []
    assert (answer.backend, answer.model) == ("openai", "llama3.2:1b")
    # the request: streamed, the configured model, the key as a bearer token, and nowhere in the logs
    request = server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.stream is True
    assert request.model == "llama3.2:1b"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert SECRET not in caplog.text


def test_the_prompt_numbers_the_sentences_of_the_passages_in_rank_order(
    server: FakeOpenAI, make_bot: Any
) -> None:
    server.script(reply(cites(EIGHT, "Eight children were reunited [{n}].")))
    bot = make_bot()
    _, answer = run(bot, EIGHT_Q)

    expected: list[str] = []
    for passage in answer.passages:
        for sentence in bot.corpus.sentences_in(passage):
            if sentence.text not in expected:
                expected.append(sentence.text)
    sources = server.requests[0].sources()
    assert list(sources) == list(range(1, len(expected) + 1))
    assert list(sources.values()) == expected
    assert "Passage 1" in server.requests[0].user
    assert f"Question: {EIGHT_Q}" in server.requests[0].user
    system = server.requests[0].system
    assert "NOT_IN_SOURCES" in system
    assert "OUT_OF_SCOPE" in system
    assert "same surname" in system
    assert "name people unambiguously" in system
    assert "Melania" not in system  # the prompt knows no fact of the document


def test_a_marker_cut_across_chunks_is_held_back_until_it_closes(server: FakeOpenAI, make_bot: Any) -> None:
    def answer_12(request: Request) -> str:
        assert len(request.sources()) >= 12, "the test needs at least 12 numbered sources"
        return "The first lady said the work continues [12]."

    server.script(reply(answer_12, ["The first lady said ", "the work continues [1", "2]", "."]))
    deltas, answer = run(make_bot(top_k=8), "What did the first lady say about the work?")

    assert "".join(deltas) == answer.text == "The first lady said the work continues [12]."
    assert not any(re.search(r"\[\d*$", d) for d in deltas), deltas
    assert [c.n for c in answer.citations] == [12]
    sentence = server.requests[0].sources()[12]
    assert answer.citations[0].quote == sentence


def test_a_marker_that_points_nowhere_is_dropped_from_stream_and_text(
    server: FakeOpenAI, make_bot: Any
) -> None:
    server.script(
        reply(
            cites(
                EIGHT, "Eight children were reunited [{n}][99]. They were separated [42]. [0]Done [7, 99]."
            ),
            pieces(2),
        )
    )
    deltas, answer = run(make_bot(), EIGHT_Q)

    n = server.requests[0].source_number(EIGHT)
    m = len(server.requests[0].sources())
    assert m < 42
    assert answer.text == f"Eight children were reunited [{n}]. They were separated. Done [7]."
    assert "".join(deltas) == answer.text
    assert not any(x in "".join(deltas) for x in ("99", "42", "[0]"))
    assert [c.n for c in answer.citations] == [n, 7]
    for c in answer.citations:
        assert seed_text(c.source)[c.start : c.end] == c.quote


def test_a_number_the_cited_quote_does_not_hold_is_flagged_unsupported(
    server: FakeOpenAI, make_bot: Any
) -> None:
    server.script(
        reply(cites(EIGHT, "The first lady said eight children, 12 in all, were reunited in 2024 [{n}]."))
    )
    _, answer = run(make_bot(), EIGHT_Q)

    assert answer.model_reply == "used", "one of its numbers is in the quote: the answer is shown"
    assert answer.citations, "the answer keeps its citation"
    assert "12" in answer.unsupported
    assert "2024" in answer.unsupported


def test_an_unknown_model_name_is_passed_through(server: FakeOpenAI, make_bot: Any) -> None:
    server.script(reply(cites(EIGHT, "Eight children were reunited [{n}].")))
    bot = make_bot(model="qwen2.5-7b-instruct:q4_K_M")
    answer = bot.ask(EIGHT_Q)

    assert server.requests[0].model == "qwen2.5-7b-instruct:q4_K_M"
    assert answer.model == "qwen2.5-7b-instruct:q4_K_M"
    assert answer.citations


def test_a_server_that_ignores_stream_true_and_sends_json_still_answers(
    server: FakeOpenAI, make_bot: Any
) -> None:
    body = (
        b'{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,'
        b'"message":{"role":"assistant","content":"The children were reunited [1] [50]."},'
        b'"finish_reason":"stop"}]}'
    )
    server.script(raw(body))
    deltas, answer = run(make_bot(), EIGHT_Q)
    assert "".join(deltas) == answer.text == "The children were reunited [1]."
    assert [c.n for c in answer.citations] == [1]


@pytest.mark.parametrize(
    ("raw_reply", "shown"),
    [
        ("Not all of them: eight children were reunited [{n}].", "Not all of them: eight children"),
        ("\n\n  Eight children were reunited [{n}].  \n", "Eight children"),
    ],
    ids=["starts-like-a-sentinel", "leading-whitespace"],
)
def test_the_start_of_an_answer_is_held_only_until_it_is_clear(
    server: FakeOpenAI, make_bot: Any, raw_reply: str, shown: str
) -> None:
    server.script(reply(cites(EIGHT, raw_reply), pieces(1)))
    deltas, answer = run(make_bot(), EIGHT_Q)

    n = server.requests[0].source_number(EIGHT)
    assert answer.text.startswith(shown)
    assert answer.text.endswith(f"reunited [{n}].")
    assert "".join(deltas) == answer.text
    assert not answer.abstained


# -- abstaining -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reply_text", "reason", "shown"),
    [
        (
            "NOT_IN_SOURCES: The announcement doesn't say how old the children are.",
            "not_in_document",
            "The announcement doesn't say how old the children are.",
        ),
        ("  **NOT_IN_SOURCES**: the ages of the children [2]", "not_in_document", "the ages of the children"),
        ("NOT_IN_SOURCES:", "not_in_document", "The announcement doesn't say"),
        (
            "OUT_OF_SCOPE: The question is about football.",
            "out_of_scope",
            "outside what the announcement covers",
        ),
        ("REFUSED: I can't do that.", "refused_instruction", "can't follow instructions"),
    ],
)
def test_a_sentinel_reply_becomes_an_abstention_and_is_never_shown(
    server: FakeOpenAI, make_bot: Any, reply_text: str, reason: str, shown: str
) -> None:
    server.script(reply(reply_text, pieces(2)))
    # a question that reaches the model (one for an age no sentence gives is declined before it)
    deltas, answer = run(make_bot(), "What do the children's families say about the reunion?")

    assert answer.abstained
    assert answer.reason == reason
    assert "".join(deltas) == answer.text
    assert shown in answer.text
    assert answer.text.startswith(("The announcement", "That is", "I can"))
    for sentinel in ("NOT_IN_SOURCES", "OUT_OF_SCOPE", "REFUSED", "SOURCES", "[2]"):
        assert sentinel not in answer.text
        assert not any(sentinel in d for d in deltas)
    assert answer.citations == []


def test_an_empty_reply_is_an_error(server: FakeOpenAI, make_bot: Any) -> None:
    server.script(reply("   [77] "))
    with pytest.raises(BackendReplyError, match="empty answer"):
        run(make_bot(), EIGHT_Q)


# -- follow-ups -------------------------------------------------------------------------------------
HISTORY = [
    {"role": "user", "content": "Who did the first lady write a letter to?"},
    {"role": "assistant", "content": "The first lady, Melania Trump, wrote to President Putin [3]."},
]
STANDALONE = "When did the first lady, Melania Trump, send her letter to Putin?"


def test_condense_sends_the_history_and_retrieves_with_the_rewritten_question(
    server: FakeOpenAI, make_bot: Any
) -> None:
    server.script(
        reply(f"Standalone question: {STANDALONE}\n"),
        reply(cites("letter in August", "She sent it in August [{n}].")),
    )
    bot = make_bot()
    _, answer = run(bot, "When did she send it?", HISTORY)

    condense, answering = server.requests
    assert condense.stream is False
    assert condense.model == "llama3.2:1b"
    assert "Who did the first lady write a letter to?" in condense.user
    assert "Melania Trump, wrote to President Putin" in condense.user
    assert "[3]" not in condense.user  # old markers point at other sources
    assert "Follow-up question: When did she send it?" in condense.user
    assert "standalone question" in condense.system
    assert f"Question: {STANDALONE}" in answering.user
    assert answer.question == STANDALONE
    assert [p.id for p in answer.passages] == [p.id for p in bot.retriever.retrieve(STANDALONE)]
    assert [p.id for p in answer.passages] != [p.id for p in bot.retriever.retrieve("When did she send it?")]


def test_without_history_condense_asks_nothing(server: FakeOpenAI, make_bot: Any) -> None:
    server.script(reply(cites(EIGHT, "Eight children were reunited [{n}].")))
    _, answer = run(make_bot(), EIGHT_Q)
    assert len(server.requests) == 1
    assert server.requests[0].stream
    assert answer.question == EIGHT_Q


@pytest.mark.parametrize(
    "bad",
    [
        reply("   \n"),
        raw(b"{not json"),
        raw(b'{"id":"x","object":"chat.completion"}'),
        reply("NOT_IN_SOURCES: x"),
    ],
    ids=["empty", "not-json", "no-choices", "sentinel"],
)
def test_a_bad_condense_reply_falls_back_to_the_question(
    server: FakeOpenAI, make_bot: Any, bad: Behaviour
) -> None:
    server.script(bad, reply("NOT_IN_SOURCES: The announcement doesn't say."))
    _, answer = run(make_bot(), "When did she send it?", HISTORY)
    assert answer.question == "When did she send it?"
    assert "Question: When did she send it?" in server.requests[1].user


# -- failures -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("behaviour", "error_class", "says", "attempts"),
    [
        (error(401, f"Incorrect API key provided: {KEY}"), BackendAuthError, "OPENAI_API_KEY", 1),
        (error(403, f"key {KEY} may not use this model"), BackendAuthError, "OPENAI_API_KEY", 1),
        (error(429, f"Rate limit reached for {KEY}", {"Retry-After": "0"}), BackendRateLimited, "429", 3),
        (error(500, f"upstream failed for Bearer {KEY}"), BackendReplyError, "HTTP 500", 3),
        (
            error(404, "model 'llama3.2:1b' not found, try pulling it first"),
            BackendReplyError,
            "ASSISTANT_MODEL",
            1,
        ),
        (raw(b"<html>Bad gateway", "text/html", status=502), BackendReplyError, "HTTP 502", 3),
        (raw_sse("{not json"), BackendReplyError, "not valid JSON", 1),
        (raw_sse('{"id":"x","object":"chat.completion.chunk"}'), BackendReplyError, "without choices", 1),
        (
            raw_sse(f'{{"error": {{"message": "the model crashed ({KEY})"}}}}'),
            BackendReplyError,
            "model crashed",
            1,
        ),
        (raw(b"{not json"), BackendReplyError, "neither an event stream nor", 1),
        (
            raw(b'{"id": "x", "object": "chat.completion"}'),
            BackendReplyError,
            "neither an event stream nor",
            1,
        ),
    ],
    ids=[
        "401",
        "403",
        "429",
        "500",
        "404",
        "502-html",
        "sse-not-json",
        "sse-no-choices",
        "sse-error",
        "json-not-json",
        "json-no-choices",
    ],
)
def test_each_failure_is_the_right_error_with_a_helpful_message_and_no_secret(
    server: FakeOpenAI,
    make_bot: Any,
    caplog: pytest.LogCaptureFixture,
    behaviour: Behaviour,
    error_class: type[BackendError],
    says: str,
    attempts: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    server.default = behaviour
    bot = make_bot()
    with pytest.raises(error_class) as caught:
        run(bot, EIGHT_Q)

    message = str(caught.value)
    assert says in message
    assert server.url in message or "OPENAI_BASE_URL" in message
    assert len(server.requests) == attempts
    no_secret(caught.value, caplog)


def test_a_server_slower_than_the_timeout_is_a_reply_error(
    server: FakeOpenAI, make_bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.default = delayed(5.0, reply("too late"))
    bot = make_bot(timeout_s=0.25, max_retries=1)
    with pytest.raises(BackendReplyError) as caught:
        run(bot, EIGHT_Q)
    assert time.monotonic() - server.requests[0].at < 3.0  # one deadline of 0.25 s, not 5 s
    assert "0.25 s" in str(caught.value)
    assert "ASSISTANT_TIMEOUT" in str(caught.value)
    assert len(server.requests) == 1  # no time left for a retry
    assert "after 1 attempt)" in str(caught.value)
    no_secret(caught.value, caplog)


def test_a_stream_that_stalls_mid_reply_is_a_reply_error(
    server: FakeOpenAI, make_bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server.script(
        reply(
            cites(EIGHT, "Eight children were reunited [{n}] with their families."),
            pieces(10),
            stall_after=5,
            stall=3.0,
        )
    )
    bot = make_bot(timeout_s=0.25)
    deltas: list[str] = []

    def consume() -> None:
        for part in bot.stream(EIGHT_Q):
            assert isinstance(part, str)
            deltas.append(part)

    with pytest.raises(BackendReplyError, match="mid-reply") as caught:
        consume()
    assert "".join(deltas).startswith("Eight children")  # what came before the stall was shown
    no_secret(caught.value, caplog)


def test_a_server_that_is_not_there_is_a_reply_error(
    server: FakeOpenAI, make_bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    port = server.port
    server.stop()
    bot = make_bot(openai_base_url=f"http://127.0.0.1:{port}/v1", max_retries=1)
    with pytest.raises(BackendReplyError, match="could not reach") as caught:
        run(bot, EIGHT_Q)
    assert "OPENAI_BASE_URL" in str(caught.value)
    no_secret(caught.value, caplog)


@pytest.mark.parametrize(
    ("retry_after", "cap", "at_least", "at_most"),
    [("0", 10.0, 0.0, 0.5), ("0.4", 10.0, 0.4, 3.0), ("30", 0.05, 0.0, 0.5)],
    ids=["now", "honoured", "capped"],
)
def test_429_then_200_succeeds_after_a_retry(
    server: FakeOpenAI,
    make_bot: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    retry_after: str,
    cap: float,
    at_least: float,
    at_most: float,
) -> None:
    monkeypatch.setattr(retries, "RETRY_AFTER_CAP_S", cap)
    server.script(
        error(429, "slow down", {"Retry-After": retry_after}),
        reply(cites(EIGHT, "Eight children were reunited [{n}].")),
    )
    _, answer = run(make_bot(), EIGHT_Q)

    assert answer.citations
    assert not answer.abstained
    assert len(server.requests) == 2
    waited = server.requests[1].at - server.requests[0].at
    assert at_least <= waited < at_most
    assert any("retry 1 of 2" in r.getMessage() for r in caplog.records)


def test_a_model_that_rejects_temperature_is_asked_again_without_it(
    server: FakeOpenAI, make_bot: Any
) -> None:
    server.script(
        error(400, "Unsupported value: 'temperature' does not support 0 with this model."),
        reply(cites(EIGHT, "Eight children were reunited [{n}].")),
    )
    _, answer = run(make_bot(max_retries=0), EIGHT_Q)
    assert answer.citations
    assert server.requests[0].body["temperature"] == 0
    assert "temperature" not in server.requests[1].body


# -- configuration --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(SEEDS)


def test_neither_key_nor_base_url_is_a_config_error(corpus: Corpus, tmp_path: Path) -> None:
    settings = make_settings(SEEDS, tmp_path, backend="openai")
    with pytest.raises(ConfigError, match="OPENAI_API_KEY") as caught:
        OpenAIBackend(settings, corpus)
    assert "OPENAI_BASE_URL" in str(caught.value)


def test_a_base_url_alone_needs_no_key(server: FakeOpenAI, make_bot: Any) -> None:
    server.script(reply(cites(EIGHT, "Eight children were reunited [{n}].")))
    bot = make_bot(openai_api_key=None)
    run(bot, EIGHT_Q)
    assert server.requests[0].headers["authorization"] == "Bearer not-needed"


def test_a_key_alone_talks_to_openai_and_the_key_is_not_in_repr(corpus: Corpus, tmp_path: Path) -> None:
    backend = OpenAIBackend(make_settings(SEEDS, tmp_path, backend="openai", openai_api_key=KEY), corpus)
    assert backend.url == "https://api.openai.com/v1"
    assert backend.model == "gpt-4o-mini"
    assert backend.name == "openai"
    assert SECRET not in repr(backend)


def test_a_base_url_that_is_not_http_is_a_config_error(corpus: Corpus, tmp_path: Path) -> None:
    settings = make_settings(SEEDS, tmp_path, backend="openai", openai_base_url="localhost:11434")
    with pytest.raises(ConfigError, match="OPENAI_BASE_URL"):
        OpenAIBackend(settings, corpus)


# -- the pieces -----------------------------------------------------------------------------------
def test_the_marker_filter_gives_the_same_text_however_the_stream_is_cut() -> None:
    text = "A [1] b [2][30] c [3, 4] d[ e [12 f [1] [] [a] [0] [005]. [99]\n[7] end [1"
    whole = MarkerFilter(9)
    expected = whole.feed(text) + whole.finish()
    assert expected == "A [1] b [2] c [3][4] d[ e [12 f [1] [] [a] [5].\n[7] end [1"
    assert drop_markers(expected, range(1, 10)) == expected
    rng = random.Random(7)
    for _ in range(300):
        cuts = sorted(rng.sample(range(1, len(text)), rng.randint(1, 12)))
        parts = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        f = MarkerFilter(9)
        out = [f.feed(p) for p in parts] + [f.finish()]
        assert "".join(out) == expected, parts
        assert not any(re.search(r"\[\d*$", o) for o in out[:-1])


def test_the_sentinel_gate_waits_only_while_the_reply_could_still_be_one() -> None:
    assert sentinel_of("") is None
    assert sentinel_of("  NOT_IN") is None
    assert sentinel_of("Not ") is None
    assert sentinel_of("Not all") == ""
    assert sentinel_of("The") == ""
    assert sentinel_of("NOT_IN_SOURCES: x") == "NOT_IN_SOURCES"
    assert sentinel_of("**Out of scope**") == "OUT_OF_SCOPE"
    assert sentinel_of("NOT", final=True) == ""
