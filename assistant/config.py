"""Settings, read from the environment or a .env file at the entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

BackendName = Literal["extractive", "openai"]
BACKENDS: tuple[BackendName, ...] = get_args(BackendName)  # the one list: settings and make_backend
# Where things are when no setting says otherwise: relative to the working directory (the
# project folder, or wherever the assistant is run), never to the installed package.
SEEDS_DIR = Path("seeds")
INDEX_DIR = Path("index")
GOLDEN_FILE = Path("tests", "golden_qa.jsonl")
GOLDEN_SUMMARY = Path("tests", "golden_accepted.json")


def backend_name(value: str) -> BackendName:
    """The backend a setting names (any case, spaces trimmed), or a ValueError listing the known ones."""
    name = value.strip().lower()
    for known in BACKENDS:
        if name == known:
            return known
    raise ValueError(f"unknown backend {name!r}: set ASSISTANT_BACKEND to one of {', '.join(BACKENDS)}")


def _env(*names: str) -> AliasChoices:
    """Environment variables for one setting, the first found winning (any case)."""
    return AliasChoices(*(alias for name in names for alias in (name, name.lower())))


class Settings(BaseSettings):
    """Every setting, with its environment variable and default."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    backend: BackendName = Field(
        "extractive",
        validation_alias=_env("ASSISTANT_BACKEND"),
        description="Answer backend: extractive (offline, quotes sentences) or openai.",
    )
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=_env("OPENAI_API_KEY"), description="Key for the openai backend."
    )
    openai_base_url: str | None = Field(
        None,
        validation_alias=_env("OPENAI_BASE_URL"),
        description="An OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio).",
    )
    model: str = Field(
        "gpt-4o-mini",
        validation_alias=_env("ASSISTANT_MODEL"),
        description="Chat model name for the openai backend; any name the server knows.",
    )
    seeds_dir: Path = Field(
        default_factory=lambda: Path.cwd() / SEEDS_DIR,
        validation_alias=_env("ASSISTANT_SEEDS_DIR"),
        description="Folder of source documents (*.txt, UTF-8); default seeds/ in the working directory.",
    )
    index_dir: Path = Field(
        default_factory=lambda: Path.cwd() / INDEX_DIR,
        validation_alias=_env("ASSISTANT_INDEX_DIR"),
        description="Folder where the embedded Chroma index is persisted; default index/ in the working directory.",
    )
    chroma_host: str | None = Field(
        None, validation_alias=_env("CHROMA_HOST"), description="Chroma server host."
    )
    chroma_port: int | None = Field(
        None, validation_alias=_env("CHROMA_PORT"), description="Chroma server port."
    )
    collection: str = Field(
        "announcements",
        validation_alias=_env("ASSISTANT_COLLECTION"),
        description="Chroma collection name (3 to 480 characters); each build is a collection named after it.",
        min_length=3,
        max_length=480,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$",
    )
    top_k: int = Field(
        5,
        ge=1,
        le=50,
        validation_alias=_env("ASSISTANT_TOP_K"),
        description="Passages retrieved per question.",
    )
    chunk_tokens: int = Field(
        96,
        ge=16,
        le=240,
        validation_alias=_env("ASSISTANT_CHUNK_TOKENS"),
        description="Largest chunk, in tiktoken tokens (cl100k_base).",
    )
    max_question_chars: int = Field(
        1000,
        ge=10,
        validation_alias=_env("ASSISTANT_MAX_QUESTION_CHARS"),
        description="Longest question accepted.",
    )
    max_history_turns: int = Field(
        20,
        ge=0,
        validation_alias=_env("ASSISTANT_MAX_HISTORY_TURNS"),
        description="Most recent history turns read with a question; older ones are left out.",
    )
    max_history_chars: int = Field(
        20_000,
        ge=100,
        validation_alias=_env("ASSISTANT_MAX_HISTORY_CHARS"),
        description="Most history characters read with a question; older turns past it are left out.",
    )
    max_seed_bytes: int = Field(
        2_000_000,
        ge=1,
        validation_alias=_env("ASSISTANT_MAX_SEED_BYTES"),
        description="Largest seed file indexed, in bytes; a larger one is skipped with a message.",
    )
    timeout_s: float = Field(
        30.0,
        gt=0,
        validation_alias=_env("ASSISTANT_TIMEOUT"),
        description="Deadline in seconds for one request to the model server, retries included.",
    )
    max_retries: int = Field(
        3,
        ge=0,
        le=10,
        validation_alias=_env("ASSISTANT_MAX_RETRIES"),
        description="Retries, with backoff, after a 429 or a transient failure.",
    )

    # The browser chat (app.py). Its own ASSISTANT_* names win over Gradio's, which hosting
    # platforms set; `python app.py --host/--port` wins over both.
    chat_host: str = Field(
        "127.0.0.1",
        min_length=1,
        validation_alias=_env("ASSISTANT_HOST", "GRADIO_SERVER_NAME"),
        description="Interface the chat binds (ASSISTANT_HOST, else GRADIO_SERVER_NAME).",
    )
    chat_port: int = Field(
        7860,
        ge=1,
        le=65535,
        validation_alias=_env("ASSISTANT_PORT", "GRADIO_SERVER_PORT"),
        description="TCP port of the chat (ASSISTANT_PORT, else GRADIO_SERVER_PORT).",
    )
    chat_concurrency: int = Field(
        4,
        ge=1,
        le=64,
        validation_alias=_env("ASSISTANT_CONCURRENCY"),
        description="Questions the chat answers at once.",
    )

    @field_validator("backend", mode="before")
    @classmethod
    def _known_backend(cls, value: object) -> object:
        return backend_name(value) if isinstance(value, str) else value

    @property
    def uses_chroma_server(self) -> bool:
        """CHROMA_HOST or CHROMA_PORT set: a server (127.0.0.1 and 8000 fill in the other)."""
        return bool(self.chroma_host or self.chroma_port)

    @property
    def chroma_address(self) -> tuple[str, int]:
        return self.chroma_host or "127.0.0.1", self.chroma_port or 8000


def load_settings(**overrides: object) -> Settings:
    """Build the settings at an entry point; errors become a ConfigError that names the variable."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{_variables(err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"invalid settings: {problems}") from None


def _variables(loc: tuple[int | str, ...]) -> str:
    """The environment variable(s) an error is about: every name the setting reads, not only the first."""
    name = ".".join(str(part) for part in loc) or "settings"
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices) and alias.choices[0] == name:
            return " or ".join(dict.fromkeys(str(choice).upper() for choice in alias.choices))
    return name
