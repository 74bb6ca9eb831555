"""The `openai` backend: a chat model through the openai package, or any OpenAI-compatible server.

How an answer is made, module by module:
- prompts:       the sentences of the retrieved passages, numbered [1]..[m] in rank order,
                 so a marker [n] points at exactly one sentence (an exact span of a seed file);
                 the condense prompt for follow-ups.
- sentinels:     `NOT_IN_SOURCES:`, `OUT_OF_SCOPE:`, `REFUSED:`: the start of a reply is held
                 back until it is clear whether it is one; if so nothing of it is shown and the
                 Answer abstains with a reason.
- marker_filter: a marker outside 1..m is dropped from the deltas and the final text alike.
- server:        the URL safe to show, what the server said (key redacted), Retry-After.
- replies:       the shape of chunks and completions; the condensed question.
- errors:        the table from openai/httpx failures to assistant.errors, with messages.
- retries:       429, 408, 5xx, timeouts and connection failures retried with backoff.
- stream:        the stream reader (and the JSON body of a server that ignores stream=true).
- backend:       OpenAIBackend, which puts them together.
"""

from assistant.backends.openai.backend import OpenAIBackend
from assistant.backends.openai.marker_filter import MarkerFilter
from assistant.backends.openai.sentinels import sentinel_of
from assistant.backends.openai.server import display_url

__all__ = ["MarkerFilter", "OpenAIBackend", "display_url", "sentinel_of"]
