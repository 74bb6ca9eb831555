"""The indexing progress bar: shown on a terminal once the work is slow, with files a second."""

from __future__ import annotations

import io

import pytest

from assistant import progress
from assistant.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_build_on_a_terminal_shows_the_files_done_and_files_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    out = _Terminal()
    meter = Progress(1000, stream=out)
    meter.advance(400, files=2)
    meter.advance(600, files=3)
    meter.close()
    shown = out.getvalue()
    assert "5 files" in shown
    assert "files/s" in shown
    assert "100%" in shown
    assert meter.rate() > 0


def test_nothing_is_drawn_when_the_output_is_not_a_terminal_or_the_work_is_quick(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    piped = io.StringIO()
    meter = Progress(1000, stream=piped)
    meter.advance(1000, files=5)
    meter.close()
    assert piped.getvalue() == ""
    quick = _Terminal()
    meter = Progress(1000, stream=quick)  # DELAY_S has not passed
    meter.advance(1000, files=5)
    meter.close()
    assert quick.getvalue() == ""
