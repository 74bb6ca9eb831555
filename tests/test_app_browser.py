"""The chat in a real browser: Debian's chromium driven by Playwright against `python app.py`."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from app_server import ARTIFACTS, AppServer, golden, matches
from conftest import ROOT, SEEDS
from gradio_client import Client
from test_transcript import quotes_in

pytest_plugins = ["app_server"]
pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ANSWER_TIMEOUT_MS = 60_000
# Answerable golden questions, each answered with at least one citation.
CITED = ("q01", "q04", "q05", "q07", "q11", "q02", "q16", "q23", "q25", "q28")

# Records what the chat showed while an answer streamed in, and whether Ask said it was busy.
WATCH_STREAM = """
window.__seen = { pending: false, partial: false, busy: false };
new MutationObserver(() => {
  if (document.querySelector("#chat .pending")) window.__seen.pending = true;
  if (document.querySelector("#chat .caret")) window.__seen.partial = true;
  const ask = document.querySelector("#question button.submit-button");
  if (ask && ask.innerText.includes("Answering")) window.__seen.busy = true;
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def open_chat(browser: Any, url: str, size: str = "desktop") -> Any:
    page = browser.new_page(viewport=SIZES[size])
    page.add_init_script(WATCH_STREAM)
    page.goto(url)
    page.wait_for_selector("#question textarea")
    return page


@pytest.fixture
def page(browser: Any, app_server: AppServer) -> Iterator[Any]:
    chat = open_chat(browser, app_server.url)
    yield chat
    chat.close()


@pytest.fixture
def client(app_server: AppServer) -> Client:
    return Client(app_server.url, verbose=False)


def send(page: Any, text: str) -> Any:
    """Type a message, press Enter, wait until the reply has finished streaming; return the reply."""
    before = page.locator("#chat .bot-row").count()
    box = page.locator("#question textarea")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(
        """(n) => {
          const rows = document.querySelectorAll("#chat .bot-row");
          return rows.length > n && !rows[rows.length - 1].querySelector(".pending, .caret");
        }""",
        arg=before,
        timeout=ANSWER_TIMEOUT_MS,
    )
    return page.locator("#chat .bot-row").last


def history_of(*turns: tuple[str, str]) -> list[dict[str, str]]:
    history = []
    for question, answer in turns:
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return history


def test_first_visit_shows_examples_the_backend_and_how_sources_work(page: Any) -> None:
    examples = page.locator("#chat button.example")
    assert examples.count() == 4
    assert "How many kids are back with their families now?" in examples.all_inner_texts()
    assert "extractive" in page.locator(".backend").inner_text()
    assert "quoted verbatim" in page.locator(".backend").inner_text()
    assert page.locator("footer").inner_text().strip() == "Use via API", "a stray separator in the footer"
    assert "Click a [1] marker" in page.locator("#sources").inner_text()


def test_conversation_streams_cites_follows_up_and_abstains(page: Any, client: Client) -> None:
    # 1. a golden question: the answer streams in, then shows its [n] markers
    (first,) = golden("q01")
    reply = send(page, first["question"])
    seen = page.evaluate("window.__seen")
    assert seen["partial"], "the reply did not stream in: no partial answer was ever shown"
    assert seen["busy"], "the Ask button never showed that an answer was running"
    assert page.locator("#question button.submit-button").inner_text().strip() == "Ask"
    text = reply.locator(".answer").inner_text()
    assert matches(text, first["must_include"]), text
    expected = client.predict(first["question"], api_name="/ask")
    assert text == expected["text"]

    # 2. clicking [1] opens the source: the quoted sentence highlighted in its paragraph, title, date
    reply.locator("a.cite", has_text="[1]").click()
    source = page.locator("#src-1-1")
    mark = source.locator("mark")
    mark.wait_for(state="visible")
    quote = expected["citations"][0]
    assert mark.inner_text() == quote["quote"]
    assert source.get_attribute("open") is not None
    assert quote["title"] in source.locator(".title").inner_text()
    assert source.locator(".date").inner_text() == "October 10, 2025"
    paragraph = source.locator(".para").inner_text()
    assert quote["quote"] in paragraph

    # 3. a follow-up uses the conversation
    (follow,) = golden("q51")
    reply = send(page, follow["question"])
    text = reply.locator(".answer").inner_text()
    assert matches(text, follow["must_include"]), text
    with_history = client.predict(
        follow["question"], history_of((first["question"], expected["text"])), api_name="/ask"
    )
    assert text == with_history["text"]
    assert page.locator("#src-2-1").count() == 1, "the follow-up's sources are not in the panel"

    # 4. an unanswerable question reads as an answer, with its reason
    (unanswerable,) = golden("q62")
    reply = send(page, unanswerable["question"])
    abstention = client.predict(unanswerable["question"], api_name="/ask")
    assert abstention["abstained"]
    assert reply.locator(".answer").inner_text() == abstention["text"]
    assert reply.locator(".chip").inner_text() == "Not in the announcement"
    assert reply.locator(".notice").count() == 0, "an abstention is shown as an error"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "conversation.png"), full_page=True)


def test_html_in_a_question_is_shown_as_text_and_never_runs(page: Any) -> None:
    attack = (
        "<script>window.__pwned = 1</script>"
        '<img src="x" onerror="window.__pwned = 2"><b>bold?</b> How many children were reunited?'
    )
    send(page, attack)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    shown = page.locator("#chat .user-row").last
    assert shown.inner_text().strip() == attack
    assert shown.locator("script, img, b").count() == 0
    assert page.locator("#chat script").count() == 0
    page.screenshot(path=str(ARTIFACTS / "html-as-text.png"))


def status_notices(page: Any) -> int:
    return int(page.locator("#status .status-msg").count() + page.locator("#chat .notice").count())


def test_empty_submits_add_at_most_one_notice(page: Any) -> None:
    box = page.locator("#question textarea")
    for _ in range(3):
        box.fill("   ")
        box.press("Enter")
        page.wait_for_timeout(400)
    assert page.locator("#status .status-msg").inner_text() == "Type a question about the announcement first."
    assert status_notices(page) == 1
    assert page.locator("#chat .bot-row").count() == 0


@pytest.mark.parametrize("size", list(SIZES))
def test_an_over_long_question_keeps_its_text_with_a_counter_and_words(
    browser: Any, app_server: AppServer, size: str
) -> None:
    page = open_chat(browser, app_server.url, size)
    try:
        box = page.locator("#question textarea")
        near = "Why? " * 170  # 849 characters: near the limit of 1000
        box.fill(near)
        page.wait_for_function("document.querySelector('#question-count .count').innerText.length > 0")
        assert page.locator("#question-count").inner_text() == "849 of 1,000 characters"
        too_long = ("Why? " * 300).strip()
        box.fill(too_long)
        page.wait_for_function("document.querySelector('#question-count .count.over')")
        assert "1,499 of 1,000 characters: 499 too many" in page.locator("#question-count").inner_text()
        box.press("Enter")
        status = page.locator("#status .status-msg")
        status.wait_for(state="visible")
        message = status.inner_text()
        assert "1,499 characters long" in message
        assert "at most 1,000" in message
        assert "ASSISTANT_" not in message, "the message names a setting a reader cannot use"
        assert box.input_value() == too_long, "the rejected question was erased"
        assert page.locator("#chat .bot-row").count() == 0
        # the same text, shortened, is asked and clears the notice
        box.fill("How many children were reunited?")
        box.press("Enter")
        page.locator("#chat .bot-row .answer a.cite").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
        page.wait_for_function("!document.querySelector('#status .status-msg')")
    finally:
        page.close()


def test_the_phone_opens_with_the_title_in_view(browser: Any, app_server: AppServer) -> None:
    page = open_chat(browser, app_server.url, "phone")
    try:
        page.wait_for_timeout(1000)  # let a late focus or scroll happen, if one were coming
        assert page.evaluate("window.scrollY") == 0
        title = page.locator(".hero h1").bounding_box()
        assert title is not None
        assert title["y"] >= 0
        assert title["y"] + title["height"] <= SIZES["phone"]["height"]
    finally:
        page.close()


def test_a_q_link_opens_the_chat_with_the_question_filled_in(browser: Any, app_server: AppServer) -> None:
    question = "What did Yale's Humanitarian Research Lab estimate?"
    page = open_chat(browser, app_server.url + "?q=" + quote(question, safe=""))
    try:
        page.wait_for_function("document.querySelector('#question textarea').value.length > 0")
        assert page.locator("#question textarea").input_value() == question
        assert page.locator("#chat .bot-row").count() == 0, "a link must not ask by itself"
        send(page, question)
        link = page.locator("#sources .turn a.share").first.get_attribute("href")
        assert link is not None
        again = open_chat(browser, app_server.url + link)
        try:
            again.wait_for_function("document.querySelector('#question textarea').value.length > 0")
            assert again.locator("#question textarea").input_value() == question
        finally:
            again.close()
    finally:
        page.close()


def in_view(page: Any, selector: str) -> bool:
    """The element is inside the window and inside every scroll box around it."""
    return bool(
        page.evaluate(
            """(selector) => {
              const el = document.querySelector(selector);
              const r = el.getBoundingClientRect();
              if (r.height === 0 || r.top < 0 || r.bottom > window.innerHeight) return false;
              for (let box = el.parentElement; box; box = box.parentElement) {
                const b = box.getBoundingClientRect();
                const style = getComputedStyle(box);
                if (style.overflowY !== "visible" && (r.top < b.top - 1 || r.bottom > b.bottom + 1)) return false;
              }
              return true;
            }""",
            selector,
        )
    )


def panel_quotes(page: Any) -> list[tuple[str, int, int, str]]:
    """(file, start, end, quote) of every card in the sources panel."""
    found = []
    for card in page.locator("#sources details.src").all():
        where = card.locator(".where").text_content()
        match = re.fullmatch(r"(\S+) · characters (\d+)–(\d+)", where.strip())
        assert match, where
        quote_text = card.locator("mark").text_content()
        found.append((match.group(1), int(match.group(2)), int(match.group(3)), quote_text))
    return found


@pytest.mark.parametrize("size", list(SIZES))
def test_a_long_session_keeps_every_source_reachable(browser: Any, app_server: AppServer, size: str) -> None:
    """Ten cited answers, the first one's [1] clicked last; an abstention; the download."""
    page = open_chat(browser, app_server.url, size)
    try:
        for qid in CITED:
            reply = send(page, golden(qid)[0]["question"])
            assert reply.locator("a.cite").count() >= 1, f"{qid} got no citation"
        # the page relabels a message a moment after it changes (debounced): give it that moment
        with contextlib.suppress(Exception):
            page.wait_for_function(
                "![...document.querySelectorAll('#chat [aria-label]')]"
                ".some(e => e.getAttribute('aria-label').includes('<'))",
                timeout=2000,
            )
        labels = page.evaluate(
            "[...document.querySelectorAll('#chat [aria-label]')].map(e => e.getAttribute('aria-label'))"
        )
        messages = [label for label in labels if "'s message: " in label]
        assert len(messages) == 2 * len(CITED)
        assert not [label for label in labels if "<" in label], "an aria-label holds markup"
        assert "Trump" in " ".join(messages)

        # the first answer's [1], clicked last: its card opens in view
        page.locator("#chat .bot-row").first.locator("a.cite", has_text="[1]").click()
        page.locator("#src-1-1 mark").wait_for(state="visible")
        page.wait_for_timeout(300)
        assert in_view(page, "#src-1-1"), "the first answer's source is out of view"
        # ... and the page scrolls back to its top with the wheel
        page.mouse.move(SIZES[size]["width"] // 2, 40)
        for _ in range(40):
            page.mouse.wheel(0, -600)
        page.wait_for_function("window.scrollY === 0")
        assert in_view(page, ".hero h1"), "the page is stuck: its title cannot be scrolled back to"

        # an abstention looks different, and the previous source is no longer highlighted
        (unanswerable,) = golden("q62")
        reply = send(page, unanswerable["question"])
        assert reply.locator(".abstention[role=note]").count() == 1
        assert reply.locator(".abstention-title").inner_text() == "No answer from the announcement"
        assert page.locator("#sources .no-sources").is_visible()
        assert page.locator("#src-1-1").get_attribute("open") is None
        assert not page.locator("#src-1-1 mark").is_visible()
        assert page.locator("#sources .earlier #src-1-1").count() == 1, "older sources are not set apart"

        # the download holds every quote of the session, each the seed text at its offsets
        with page.expect_download() as download:
            page.locator("#download").click()
        markdown = Path(download.value.path()).read_text(encoding="utf-8")
        assert download.value.suggested_filename == "conversation.md"
        found = quotes_in(markdown)
        assert sorted(found) == sorted(panel_quotes(page))
        assert len(found) >= len(CITED)
        for source, start, end, quoted in found:
            assert (SEEDS / source).read_text(encoding="utf-8")[start:end] == quoted
        assert unanswerable["question"] in markdown
    finally:
        page.close()


def test_example_click_then_new_conversation(page: Any) -> None:
    before = page.locator("#chat .bot-row").count()
    page.locator("#chat button.example", has_text="How many kids are back with their families now?").click()
    page.wait_for_function(
        """(n) => {
          const rows = document.querySelectorAll("#chat .bot-row");
          return rows.length > n && rows[rows.length - 1].querySelector(".answer a.cite");
        }""",
        arg=before,
        timeout=ANSWER_TIMEOUT_MS,
    )
    assert page.locator("#sources details.src").count() >= 1
    page.get_by_role("button", name="New conversation").click()
    page.locator("#chat button.example").first.wait_for(state="visible")
    assert page.locator("#chat .bot-row").count() == 0
    assert page.locator("#sources details.src").count() == 0


def test_a_backend_failure_reads_as_a_message(browser: Any, failing_apps: dict[str, AppServer]) -> None:
    page = open_chat(browser, failing_apps["chroma_down"].url)
    try:
        reply = send(page, "How many children were reunited?")
        notice = reply.locator(".notice").inner_text()
        assert "The document index is unreachable" in notice
        assert "Chroma server" in notice
    finally:
        page.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_readme_screenshot(browser: Any, app_server: AppServer, size: str) -> None:
    """A conversation worth showing: tests/artifacts/screenshot-SIZE.png, copied to docs/ when asked.

    docs/screenshot-SIZE.png is written when it is missing or ASSISTANT_UPDATE_SCREENSHOT=1.
    """
    page = browser.new_page(viewport=SIZES[size], device_scale_factor=1)
    try:
        page.goto(app_server.url)
        page.wait_for_selector("#question textarea")
        for qid in ("q01", "q51", "q62"):
            send(page, golden(qid)[0]["question"])
        if size == "desktop":
            page.locator("#chat .bot-row").nth(1).locator("a.cite").first.click()
            page.locator("#src-2-1 mark").wait_for(state="visible")
            page.wait_for_timeout(2000)  # let the highlight fade and the scroll settle
        page.locator("#question textarea").fill("")
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"screenshot-{size}.png"
        page.screenshot(path=str(shot))
        kept = ROOT / "docs" / f"screenshot-{size}.png"
        if not kept.exists() or os.environ.get("ASSISTANT_UPDATE_SCREENSHOT") == "1":
            kept.parent.mkdir(exist_ok=True)
            shutil.copyfile(shot, kept)
    finally:
        page.close()
