"""The app's /ask endpoint through gradio_client, against a real `python app.py` on loopback."""

from __future__ import annotations

import importlib.util
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from app_server import AppServer, golden, matches
from conftest import ROOT, SEEDS, make_settings
from gradio_client import Client
from gradio_client.exceptions import AppError

from assistant import Answer, Assistant, Citation, ConfigError, chat_html, load_settings

pytest_plugins = ["app_server"]
pytestmark = pytest.mark.server


def as_json(answer: Answer) -> dict[str, Any]:
    return answer.model_dump(mode="json", exclude={"passages"})


@pytest.fixture
def client(app_server: AppServer) -> Client:
    return Client(app_server.url, verbose=False)


@pytest.mark.parametrize("qid", ["q01", "q05", "q11", "q23", "q62", "q67", "q71"])
def test_ask_returns_what_the_python_api_returns(bot: Assistant, client: Client, qid: str) -> None:
    (item,) = golden(qid)
    got = client.predict(item["question"], api_name="/ask")
    assert got == as_json(bot.ask(item["question"]))
    assert "passages" not in got
    if item["answerable"]:
        assert not got["abstained"]
        assert matches(got["text"], item["must_include"]), got["text"]
        assert got["citations"], "an answer without a citation"
        first = got["citations"][0]
        assert (ROOT / "seeds" / first["source"]).read_text(encoding="utf-8")[
            first["start"] : first["end"]
        ] == first["quote"]
        Citation.model_validate(first)
    else:
        assert got["abstained"], got
        assert got["reason"], got


def test_history_is_honoured(bot: Assistant, client: Client) -> None:
    (item,) = golden("q50")  # "When did she send it?" after a turn about the letter to Putin
    with_history = client.predict(item["question"], item["history"], api_name="/ask")
    assert with_history == as_json(bot.ask(item["question"], item["history"]))
    assert matches(with_history["text"], item["must_include"]), with_history["text"]
    assert with_history["question"] != item["question"], "the follow-up was not made standalone"
    alone = client.predict(item["question"], api_name="/ask")
    assert alone["question"] == item["question"]
    assert alone != with_history


def test_history_in_gradio_parts_format(bot: Assistant, client: Client) -> None:
    """History as a Gradio Chatbot holds it: content given as a list of text parts."""
    (item,) = golden("q51")
    parts = [
        {"role": t["role"], "content": [{"type": "text", "text": t["content"]}]} for t in item["history"]
    ]
    got = client.predict(item["question"], parts, api_name="/ask")
    assert got == as_json(bot.ask(item["question"], item["history"]))


@pytest.mark.parametrize(
    ("question", "history", "expected"),
    [
        ("", None, "question is empty"),
        ("   \n ", None, "question is empty"),
        ("Why? " * 400, None, "the limit is 1000"),
        (
            "How many children were reunited?",
            [{"role": "robot", "content": 1}],
            "history[0] is not a message",
        ),
    ],
    ids=["empty", "blank", "too-long", "bad-history"],
)
def test_bad_input_is_a_readable_error(
    client: Client, question: str, history: list[dict[str, Any]] | None, expected: str
) -> None:
    with pytest.raises(AppError) as caught:
        client.predict(question, history, api_name="/ask")
    message = str(caught.value)
    assert expected in message
    assert message.startswith("Please check your question: "), message
    assert "Traceback" not in message
    # ... and the app keeps answering
    assert not client.predict("How many children were reunited?", api_name="/ask")["abstained"]


def test_only_ask_is_public(client: Client) -> None:
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert list(endpoints) == ["/ask"]


def test_chroma_server_unreachable_is_a_readable_error(failing_apps: dict[str, AppServer]) -> None:
    server = failing_apps["chroma_down"]
    with urllib.request.urlopen(server.url, timeout=10) as page:
        assert page.status == 200  # the chat still serves its page
    client = Client(server.url, verbose=False)
    for _ in range(2):  # every question retries, and fails readably, while the server is down
        with pytest.raises(AppError) as caught:
            client.predict("How many children were reunited?", api_name="/ask")
        message = str(caught.value)
        assert message.startswith("The document index is unreachable: "), message
        assert "Chroma server" in message
        assert "CHROMA_HOST" in message


def test_openai_server_down_is_a_readable_error(failing_apps: dict[str, AppServer]) -> None:
    server = failing_apps["openai_down"]
    with urllib.request.urlopen(server.url + "config", timeout=10) as page:
        config = page.read().decode("utf-8")
    assert "test-model" in config, "the page does not show the active model"
    client = Client(server.url, verbose=False)
    for _ in range(2):
        with pytest.raises(AppError) as caught:
            client.predict("How many children were reunited?", api_name="/ask")
        assert str(caught.value).startswith("The answer service failed: "), str(caught.value)


# -- formatting (assistant.chat_html), in process: text from users and documents stays text ---------


@pytest.fixture(scope="module")
def app() -> Iterator[ModuleType]:
    """app.py imported in process (it is a script at the root, not a package module)."""
    spec = importlib.util.spec_from_file_location("app_under_test", ROOT / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_answer_html_escapes_text_and_links_only_real_citations() -> None:
    citation = Citation(n=1, source="a.txt", quote="q", start=0, end=1, title="T", date="2025-10-10")
    answer = Answer(text='<img src=x onerror="alert(1)"> & [1] [7]', citations=[citation], question="")
    shown = chat_html.answer_html(answer, 3)
    assert "<img" not in shown
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp;" in shown
    assert '<a class="cite" href="#src-3-1"' in shown
    assert "[7]</a>" not in shown
    assert "[7]" in shown


def test_citation_html_highlights_the_quote_in_its_paragraph(bot: Assistant) -> None:
    answer = bot.ask("How many children were reunited?")
    citation = answer.citations[0]
    shown = chat_html.citation_html(bot, citation, 1)
    assert f"<mark>{chat_html.text_html(citation.quote)}</mark>" in shown
    assert 'id="src-1-1"' in shown
    assert "October 10, 2025" in shown
    assert chat_html.text_html(citation.title) in shown


def test_the_short_answer_is_bold_inside_its_highlighted_quote(bot: Assistant) -> None:
    answer = bot.ask("How many children were reunited?")
    assert answer.short is not None
    shown = chat_html.citation_html(bot, answer.citations[answer.short.n - 1], 1, answer.short)
    assert '<strong class="short">eight</strong>' in shown
    assert "<mark>" in shown
    assert shown.index("<mark>") < shown.index("<strong") < shown.index("</mark>")


def test_use_via_api_describes_the_answer_fields(client: Client) -> None:
    """ "Use via API" shows what /ask returns field by field, citations included, not `Any`."""
    (returns,) = client.view_api(print_info=False, return_format="dict")["named_endpoints"]["/ask"]["returns"]
    shown = returns["python_type"]["type"]
    for name in ("text: str", "abstained: bool", "reason:", "citations: list[", "quote: str", "start: int"):
        assert name in shown, shown
    assert "passages" not in shown
    assert set(returns["type"]["properties"]) == set(Answer.model_fields) - {"passages"}


# -- where the chat listens ----------------------------------------------------------------------


def test_the_app_listens_where_gradio_variables_say(app_server: AppServer) -> None:
    """The shared app was started with GRADIO_SERVER_NAME/PORT only, no --host/--port."""
    assert "--port" not in str(app_server.process.args)
    with urllib.request.urlopen(app_server.url, timeout=10) as page:
        assert page.status == 200


def test_listening_precedence(app: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """--host/--port, else ASSISTANT_HOST/PORT, else GRADIO_SERVER_NAME/PORT, else 127.0.0.1:7860."""

    def where(*argv: str) -> tuple[str, int]:
        args = app.parse_args(list(argv), load_settings(_env_file=None))
        return args.host, args.port

    assert where() == ("127.0.0.1", 7860)
    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "9001")
    assert where() == ("0.0.0.0", 9001)
    monkeypatch.setenv("ASSISTANT_HOST", "127.0.0.2")
    monkeypatch.setenv("ASSISTANT_PORT", "9002")
    assert where() == ("127.0.0.2", 9002)
    assert where("--host", "127.0.0.3", "--port", "9003") == ("127.0.0.3", 9003)


def test_a_bad_port_names_every_variable_that_sets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADIO_SERVER_PORT", "0")
    with pytest.raises(ConfigError, match="ASSISTANT_PORT or GRADIO_SERVER_PORT"):
        load_settings(_env_file=None)


def test_the_header_shows_the_server_url_redacted(shared_index: Path) -> None:
    settings = make_settings(
        SEEDS,
        shared_index,
        backend="openai",
        model="test-model",
        openai_api_key="sk-test-not-a-real-key",
        openai_base_url="http://someone:s3cret@127.0.0.1:9/v1?token=t0ken#frag",
    )
    bot = Assistant(settings)
    header = chat_html.header_html(settings, bot)
    assert "test-model" in header
    assert "http://127.0.0.1:9/v1" in header
    for secret in ("someone", "s3cret", "t0ken", "frag", "sk-test"):
        assert secret not in header
