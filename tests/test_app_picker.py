"""Limiting a question to some documents in the chat: the picker and /ask's `sources`.

A real `python app.py` on loopback over a seeds folder of two documents: the announcement
and a made-up ferry announcement written here, which has facts the announcement does not
(who commands the first crossing) and one it tells differently (how many children were
reunited). The API is driven through gradio_client, the picker through a real Chromium.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from app_server import AppServer, start_app, stop_app, wait_ready
from conftest import SEEDS
from gradio_client import Client
from gradio_client.exceptions import AppError
from test_app_browser import SIZES, open_chat, send

from assistant import Answer, Citation, chat_html
from assistant.documents import parse_document
from assistant.transcript import transcript

pytest_plugins = ["app_server"]
pytestmark = pytest.mark.server

(ANNOUNCEMENT,) = (path.name for path in SEEDS.glob("*.txt"))
FERRY = "2025-11-02-ferry-service-restored.txt"
FERRY_TEXT = (
    "date 2025-11-02 The harbor authority said on Saturday that the ferry service between Port Ellis "
    "and Marrow Island was restored after the storm, and that eleven children stranded on the island "
    "were reunited with their families.\n"
    "The ferry will run twice a day until the end of the month.\n"
    "Captain Rosa Lindqvist will command the first crossing, which leaves at 7 a.m.\n"
)
FERRY_LABEL = "Ferry Service Restored (November 2, 2025)"
ONLY_IN_FERRY = "Who will command the first crossing?"
# Both documents answer it: the announcement "eight", the ferry "eleven" (both quoted when all are searched).
IN_BOTH = "How many children were reunited?"


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The chat over a copy of seeds/ with the ferry announcement added."""
    seeds = tmp_path_factory.mktemp("picker-seeds")
    for path in SEEDS.iterdir():
        shutil.copyfile(path, seeds / path.name)
    (seeds / FERRY).write_text(FERRY_TEXT, encoding="utf-8")
    server = start_app(tmp_path_factory.mktemp("picker-app"), {"ASSISTANT_SEEDS_DIR": str(seeds)})
    try:
        wait_ready(server)
        yield server
    finally:
        stop_app(server)


@pytest.fixture(scope="module")
def client(two_documents: AppServer) -> Client:
    return Client(two_documents.url, verbose=False)


# -- /ask with sources -----------------------------------------------------------------------


def test_ask_limited_to_the_second_document_cites_only_it(client: Client) -> None:
    got = client.predict(ONLY_IN_FERRY, None, [FERRY], api_name="/ask")
    assert not got["abstained"], got
    assert "Rosa Lindqvist" in got["text"]
    assert {c["source"] for c in got["citations"]} == {FERRY}
    quote = got["citations"][0]
    assert FERRY_TEXT[quote["start"] : quote["end"]] == quote["quote"]


def test_ask_limited_to_the_first_document_declines_what_only_the_second_says(client: Client) -> None:
    got = client.predict(ONLY_IN_FERRY, None, [ANNOUNCEMENT], api_name="/ask")
    assert got["abstained"], got
    assert got["reason"] == "not_in_document"
    assert not got["citations"]
    assert "Lindqvist" not in got["text"]


def test_ask_without_sources_searches_every_document(client: Client) -> None:
    """The earlier calls, question (and history) alone, still work, over all documents."""
    alone = client.predict(ONLY_IN_FERRY, api_name="/ask")
    assert {c["source"] for c in alone["citations"]} == {FERRY}
    assert client.predict(ONLY_IN_FERRY, [], api_name="/ask") == alone
    assert client.predict(ONLY_IN_FERRY, [], [], api_name="/ask") == alone
    both = client.predict(IN_BOTH, api_name="/ask")
    assert both["text"].startswith("The documents differ.")
    assert "eight" in both["text"].lower()
    assert "eleven" in both["text"].lower()
    assert {c["source"] for c in both["citations"]} == {ANNOUNCEMENT, FERRY}
    limited = client.predict(question=IN_BOTH, sources=[FERRY], api_name="/ask")
    assert "eleven" in limited["text"].lower()
    assert {c["source"] for c in limited["citations"]} == {FERRY}


def test_an_unknown_source_is_a_readable_error_naming_the_documents(client: Client) -> None:
    with pytest.raises(AppError) as caught:
        client.predict(ONLY_IN_FERRY, None, ["nope.txt"], api_name="/ask")
    message = str(caught.value)
    assert message.startswith("Please check your question: No document named 'nope.txt'"), message
    assert ANNOUNCEMENT in message
    assert FERRY in message
    assert "Traceback" not in message
    assert not client.predict(ONLY_IN_FERRY, None, [FERRY], api_name="/ask")["abstained"]


def test_use_via_api_lists_sources_after_question_and_history(client: Client) -> None:
    endpoint = client.view_api(print_info=False, return_format="dict")["named_endpoints"]["/ask"]
    parameters = endpoint["parameters"]
    assert [p["parameter_name"] for p in parameters] == ["question", "history", "sources"]
    assert parameters[2]["parameter_has_default"]
    assert parameters[2]["parameter_default"] is None


# -- the picker in a real browser ------------------------------------------------------------


def pick(page: Any, label: str) -> None:
    """Choose a document in the picker, as a person does: open the list, click the title, close it."""
    picker = page.get_by_label("Limit to documents")
    picker.click()
    page.get_by_role("option", name=label).click()
    page.keyboard.press("Escape")
    page.locator("#documents .token", has_text=label).wait_for(state="visible")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_the_picker_limits_a_question_to_the_chosen_document(
    browser: Any, two_documents: AppServer, size: str
) -> None:
    page = open_chat(browser, two_documents.url, size)
    try:
        picker = page.get_by_label("Limit to documents")
        picker.wait_for(state="visible")
        picker.click()
        options = page.get_by_role("option")
        assert sorted(options.all_inner_texts()) == sorted(
            [chat_html.document_label(parse_document(ANNOUNCEMENT, _announcement())), FERRY_LABEL]
        )
        page.keyboard.press("Escape")
        box = picker.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= SIZES[size]["width"], "the picker is wider than the screen"

        # all documents: both answers, the reply saying that they differ
        reply = send(page, IN_BOTH)
        text = reply.locator(".answer").inner_text()
        assert "differ" in text, text
        assert "eight" in text.lower(), text
        assert reply.locator(".limit").count() == 0

        # the ferry announcement only: its answer, citing it, and the reply says what was searched
        pick(page, FERRY_LABEL)
        reply = send(page, IN_BOTH)
        text = reply.locator(".answer").inner_text()
        assert "eleven" in text.lower(), text
        assert reply.locator(".limit").inner_text() == f"Searched only: {FERRY_LABEL}"
        reply.locator("a.cite", has_text="[1]").click()
        card = page.locator("#src-2-1")
        card.locator("mark").wait_for(state="visible")
        assert card.locator(".title").inner_text() == "Ferry Service Restored"
        assert card.locator(".date").inner_text() == "November 2, 2025"
        wheres = page.locator("#turn-2 .where").all_inner_texts()
        assert wheres
        assert all(where.startswith(FERRY + " · ") for where in wheres), wheres

        # the download says which question was limited
        with page.expect_download() as download:
            page.locator("#download").click()
        markdown = Path(download.value.path()).read_text(encoding="utf-8")
        assert f"*Asked about `{FERRY}` only.*" in markdown
        assert markdown.count("*Asked about") == 1
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_one_document_shows_no_picker(browser: Any, app_server: AppServer) -> None:
    page = open_chat(browser, app_server.url)
    try:
        page.locator(".hero .backend").wait_for(state="visible")
        page.wait_for_timeout(1000)  # the page-load event, which may show the picker, has run
        assert page.get_by_label("Limit to documents").count() == 0
        assert not page.locator("#documents").is_visible()
        reply = send(page, IN_BOTH)
        assert reply.locator("a.cite").count() >= 1
        assert reply.locator(".limit").count() == 0
    finally:
        page.close()


# -- in process: labels, the note under an answer, the transcript ---------------------------------


def _announcement() -> str:
    return (SEEDS / ANNOUNCEMENT).read_text(encoding="utf-8")


def test_documents_are_offered_by_title_and_date_with_the_file_as_value() -> None:
    ferry = parse_document(FERRY, FERRY_TEXT)
    undated = parse_document("harbor-notes.txt", "No date here.\n")
    assert chat_html.document_choices([ferry, undated]) == [
        (FERRY_LABEL, FERRY),
        ("Harbor Notes (undated)", "harbor-notes.txt"),
    ]
    twin = parse_document("ferry-service-restored.txt", FERRY_TEXT)
    labels = [label for label, _ in chat_html.document_choices([ferry, twin])]
    assert labels == [f"{FERRY_LABEL} · {FERRY}", f"{FERRY_LABEL} · ferry-service-restored.txt"]


def test_the_limit_note_is_text() -> None:
    answer = Answer(text="Eleven.", question="")
    shown = chat_html.answer_html(answer, 1, ["<b>Odd</b> title (undated)"])
    assert "<b>" not in shown
    assert "Searched only: &lt;b&gt;Odd&lt;/b&gt; title (undated)" in shown
    assert "Searched only" not in chat_html.answer_html(answer, 1)


def test_the_transcript_says_which_questions_were_limited() -> None:
    quote = "Captain Rosa Lindqvist will command the first crossing, which leaves at 7 a.m."
    start = FERRY_TEXT.index(quote)
    citation = Citation(n=1, source=FERRY, quote=quote, start=start, end=start + len(quote))
    answer = Answer(text=f"{quote} [1]", citations=[citation], question=ONLY_IN_FERRY)
    turns = [(ONLY_IN_FERRY, answer), (ONLY_IN_FERRY, answer)]
    markdown = transcript(turns, date(2026, 1, 2), [(FERRY, ANNOUNCEMENT), ()])
    assert f"*Asked about `{FERRY}`, `{ANNOUNCEMENT}` only.*" in markdown
    assert markdown.count("*Asked about") == 1
    assert transcript(turns, date(2026, 1, 2)) == transcript(turns, date(2026, 1, 2), [(), ()])
