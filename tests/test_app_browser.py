"""The chat in a real browser: Debian's chromium driven by Playwright against `python app.py`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_server import ARTIFACTS, AppServer, golden, matches
from conftest import ROOT
from gradio_client import Client

pytest_plugins = ["app_server"]
pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
]
SCREENSHOT = ROOT / "docs" / "screenshot.png"
ANSWER_TIMEOUT_MS = 60_000

# Records what the chat showed while an answer streamed in.
WATCH_STREAM = """
window.__seen = { pending: false, partial: false };
new MutationObserver(() => {
  if (document.querySelector("#chat .pending")) window.__seen.pending = true;
  if (document.querySelector("#chat .caret")) window.__seen.partial = true;
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("chromium is missing: sudo apt-get install chromium (scripts/install.sh does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_chat(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
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
    assert "How many children were reunited?" in examples.all_inner_texts()
    assert "extractive" in page.locator(".backend").inner_text()
    assert "quoted verbatim" in page.locator(".backend").inner_text()
    assert "Click a [1] marker" in page.locator("#sources").inner_text()


def test_conversation_streams_cites_follows_up_and_abstains(page: Any, client: Client) -> None:
    # 1. a golden question: the answer streams in, then shows its [n] markers
    (first,) = golden("q01")
    reply = send(page, first["question"])
    seen = page.evaluate("window.__seen")
    assert seen["partial"], "the reply did not stream in: no partial answer was ever shown"
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
    (unanswerable,) = golden("q59")
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


def test_bad_input_reads_as_a_message_and_the_chat_goes_on(page: Any) -> None:
    reply = send(page, "")
    assert "The question is empty" in reply.locator(".notice").inner_text()
    too_long = "Why? " * 300
    reply = send(page, too_long)
    assert "the limit is 1000" in reply.locator(".notice").inner_text()
    shown = page.locator("#chat .user-row").last.inner_text()
    assert f"({len(too_long.strip())} characters)" in shown, "the over-long message is not shown shortened"
    (item,) = golden("q05")
    reply = send(page, item["question"])
    assert matches(reply.locator(".answer").inner_text(), item["must_include"])


def test_example_click_then_new_conversation(page: Any) -> None:
    before = page.locator("#chat .bot-row").count()
    page.locator("#chat button.example", has_text="How many children were reunited?").click()
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


def test_readme_screenshot(browser: Any, app_server: AppServer) -> None:
    """A conversation worth showing: tests/artifacts/screenshot.png, copied to docs/ when asked.

    docs/screenshot.png is written when it is missing or ASSISTANT_UPDATE_SCREENSHOT=1.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 860}, device_scale_factor=1)
    try:
        page.goto(app_server.url)
        page.wait_for_selector("#question textarea")
        for qid in ("q01", "q51", "q59"):
            send(page, golden(qid)[0]["question"])
        page.locator("#chat .bot-row").nth(1).locator("a.cite").first.click()
        page.locator("#src-2-1 mark").wait_for(state="visible")
        page.wait_for_timeout(2000)  # let the highlight fade and the scroll settle
        page.locator("#question textarea").fill("")
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "screenshot.png"
        page.screenshot(path=str(shot))
        if not SCREENSHOT.exists() or os.environ.get("ASSISTANT_UPDATE_SCREENSHOT") == "1":
            SCREENSHOT.parent.mkdir(exist_ok=True)
            shutil.copyfile(shot, SCREENSHOT)
    finally:
        page.close()
