"""The streaming marker filter: every [n] outside 1..m dropped, however the stream is cut.

Text from a '[' is held back until the marker closes. A marker that points outside 1..m
is dropped (with the space before it) from the deltas and the final text alike;
"[1, 2]" is written as "[1][2]". The pieces, joined, equal the whole text filtered at once.
"""

from __future__ import annotations

import re

from assistant.markers import GROUP

# What must be held back at the end of the text so far: trailing space, an open '[', or a
# group that has just closed (what follows it decides about the space before it).
_HOLD = re.compile(r"(?:\s?\[[\d,; ]{0,20}\]?|\s+)$")


class MarkerFilter:
    """Streams text with every [n] outside 1..m dropped, holding back text that may be a marker.

    A marker is only ever judged when it is complete, so no judgement depends on chunk
    boundaries.
    """

    def __init__(self, m: int) -> None:
        self.m = m
        self._pending = ""

    def _clean(self, text: str) -> str:
        def group(match: re.Match[str]) -> str:
            kept: list[int] = []
            for part in re.split(r"\s*[,;]\s*", match.group(2)):
                n = int(part)
                if 1 <= n <= self.m and n not in kept:
                    kept.append(n)
            if kept:
                return match.group(1) + "".join(f"[{n}]" for n in kept)
            return match.group(1) if match.group(3) else ""

        return GROUP.sub(group, text)

    def feed(self, text: str) -> str:
        self._pending += text
        hold = _HOLD.search(self._pending)
        cut = hold.start() if hold else len(self._pending)
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return self._clean(ready)

    def finish(self) -> str:
        """The rest, without trailing whitespace."""
        ready, self._pending = self._pending, ""
        return self._clean(ready).rstrip()
