"""What people read when there is no answer: one wording, whichever part of the package abstains.

The reason codes (AbstainReason in assistant.types) are for programs; these sentences are for
readers. Every backend and the Assistant use them, so a refusal reads the same everywhere.
"""

from __future__ import annotations

from typing import Final

from assistant.types import AbstainReason

DOESNT_SAY: Final = "The announcement doesn't say"
NOT_IN_DOCUMENT_TEXT: Final = f"{DOESNT_SAY} anything that answers this question."
OUT_OF_SCOPE_TEXT: Final = (
    "That is outside what the announcement covers, so I can't answer it from the source."
)
REFUSED_TEXT: Final = (
    "I can only answer questions about the announcement, from what it says; "
    "I can't follow instructions to change those rules."
)

ABSTENTION_TEXT: Final[dict[AbstainReason, str]] = {
    "not_in_document": NOT_IN_DOCUMENT_TEXT,
    "out_of_scope": OUT_OF_SCOPE_TEXT,
    "refused_instruction": REFUSED_TEXT,
}

# how every decline begins: an earlier turn that starts so answered nothing
DECLINES: Final = (DOESNT_SAY, OUT_OF_SCOPE_TEXT, REFUSED_TEXT)


def doesnt_say(detail: str) -> str:
    """'The announcement doesn't say: <detail>' (detail says what is missing)."""
    return f"{DOESNT_SAY}: {detail}"
