"""A progress bar for indexing, shown on a terminal once the work has taken a few seconds:
the share of the text embedded, the files done and files a second, the time left."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

DELAY_S = 2.0  # quick work shows nothing


class Progress:
    """Counts work done out of `total`; draws a bar on stderr when it is a terminal and slow."""

    def __init__(self, total: int, label: str = "indexing", stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self.files = 0
        self._stream = stream or sys.stderr
        self._started = time.monotonic()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    @classmethod
    def of(cls, total: int, label: str = "indexing") -> Progress:
        return cls(total, label)

    def _shown(self) -> bool:
        isatty = getattr(self._stream, "isatty", None)
        return bool(isatty and isatty()) and time.monotonic() - self._started >= DELAY_S

    def rate(self) -> float:
        """Files done a second since the work began."""
        return self.files / max(time.monotonic() - self._started, 1e-9)

    def advance(self, amount: int, files: int = 0) -> None:
        """`amount` more of the total done, in `files` more files."""
        self.done += amount
        self.files += files
        if self._bar is None and self._shown():
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[files]} files, {task.fields[rate]:.1f} files/s"),
                TimeRemainingColumn(),
                console=Console(file=self._stream),
                transient=False,
            )
            self._task = self._bar.add_task(self.label, total=max(self.total, 1), files=0, rate=0.0)
            self._bar.start()
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task, completed=min(self.done, self.total), files=self.files, rate=self.rate()
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
