"""Where the index lives: a folder of ours (embedded Chroma) or a Chroma server.

Opening it, with the errors a reader can act on: a folder that is a file or cannot be made, a
read-only folder (read through a temporary copy), a damaged sqlite file (Chroma's own files
wiped and rebuilt, anything else in the folder left alone), a server that does not answer.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import offline
from assistant.config import Settings
from assistant.errors import IndexStoreError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

log = logging.getLogger(__name__)

_CHROMA_SEGMENT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _writable(folder: Path) -> bool:
    """Whether the folder and its sqlite file can be written (what Chroma needs to open it)."""
    sqlite = folder / "chroma.sqlite3"
    return os.access(folder, os.W_OK) and (not sqlite.exists() or os.access(sqlite, os.W_OK))


def sqlite_problem(index_dir: Path) -> str | None:
    """Why Chroma's sqlite file in `index_dir` is corrupt, or None when it is not (or is absent).

    Only a file that is not a database, or fails sqlite's own check, counts: a file that
    cannot be read or written (permissions, a read-only disk) is not corrupt.
    """
    path = index_dir / "chroma.sqlite3"
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    except OSError:
        return None
    if head and head != _SQLITE_MAGIC:
        return "chroma.sqlite3 is not a database"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.OperationalError:
        return None  # cannot open or lock it: not evidence of corruption
    except sqlite3.DatabaseError as exc:
        return f"chroma.sqlite3 is damaged ({exc})"
    if result and result[0] != "ok":
        return f"chroma.sqlite3 is damaged ({result[0]})"
    return None


class ChromaPlace:
    """Opens the Chroma client for the settings (embedded in index_dir, or a server)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.read_only = False  # the index folder cannot be written: it is read, never changed
        self._client: ClientAPI | None = None

    def close(self) -> None:
        """Let go of the Chroma client: its database connections and its segments' open files (a
        process that opens many indexes one after another keeps none it is done with). Opened
        again when next needed."""
        from chromadb.api.client import Client

        client, self._client = self._client, None
        if isinstance(client, Client):  # what PersistentClient and HttpClient make
            client.close()
            # Chroma's Rust side closes chroma.sqlite3 only when the last object reaching it is
            # freed; one caught in a reference cycle (a frame an exception kept) would hold the
            # file until the cycle collector happens to run, so it runs now
            gc.collect()

    # -- errors --------------------------------------------------------------------
    @property
    def where(self) -> str:
        s = self.settings
        return (
            "the Chroma server {}:{}".format(*s.chroma_address) if s.uses_chroma_server else str(s.index_dir)
        )

    def hint(self) -> str:
        if self.settings.uses_chroma_server:
            host, port = self.settings.chroma_address
            return (
                f"check that the Chroma server at {host}:{port} is running (CHROMA_HOST/CHROMA_PORT), "
                "then run `assistant index`"
            )
        return (
            f"run `assistant index` to build it again, or point ASSISTANT_INDEX_DIR at another folder "
            f"(now {self.settings.index_dir})"
        )

    @contextmanager
    def guard(self, doing: str) -> Iterator[None]:
        """Any Chroma or file-system error while `doing` becomes an IndexStoreError that says what helps."""
        try:
            yield
        except IndexStoreError:
            raise
        except Exception as exc:
            raise IndexStoreError(
                f"could not {doing} in {self.where} ({type(exc).__name__}: {exc}): {self.hint()}"
            ) from None

    # -- opening -----------------------------------------------------------------
    def _check_folder(self) -> None:
        folder = self.settings.index_dir
        if folder.exists() and not folder.is_dir():
            raise IndexStoreError(
                f"the index folder {folder} is a file, not a folder: move that file away, or point "
                "ASSISTANT_INDEX_DIR at a folder (it is created if missing)"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexStoreError(
                f"cannot create the index folder {folder} ({exc.strerror or exc}): point "
                "ASSISTANT_INDEX_DIR at a folder you can write to"
            ) from None

    def client(self) -> ClientAPI:
        if self._client is not None:
            return self._client
        offline.apply()
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        s = self.settings
        if s.uses_chroma_server:
            host, port = s.chroma_address
            try:
                client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
                client.heartbeat()
            except Exception as exc:
                raise IndexStoreError(
                    f"cannot reach the Chroma server at {host}:{port} ({exc}): start it "
                    "(chroma run --path DIR --host 127.0.0.1 --port N) or unset CHROMA_HOST and CHROMA_PORT"
                ) from None
            self._client = client
            return client
        self._check_folder()
        try:
            client = chromadb.PersistentClient(path=str(s.index_dir), settings=chroma_settings)
            client.heartbeat()
            client.list_collections(limit=1)
        except Exception as exc:
            problem = sqlite_problem(s.index_dir)
            if problem is None and not _writable(s.index_dir):
                client = self._read_only_copy()
            elif problem is None:
                raise IndexStoreError(
                    f"cannot open the index in {s.index_dir} ({type(exc).__name__}: {exc}); nothing was "
                    "changed: check that the folder and its chroma.sqlite3 can be read and written, or "
                    "point ASSISTANT_INDEX_DIR at another folder"
                ) from None
            else:
                self._wipe_local(problem)
                client = chromadb.PersistentClient(path=str(s.index_dir), settings=chroma_settings)
        self._client = client
        return client

    def _read_only_copy(self) -> ClientAPI:
        """A read-only index folder is read through a temporary copy (Chroma writes as it opens)."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        folder = self.settings.index_dir
        copy = Path(tempfile.mkdtemp(prefix="assistant-index-")) / "index"
        log.warning("the index folder %s is read-only; reading a temporary copy of it in %s", folder, copy)
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("lexical"), copy_function=shutil.copyfile)
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o700 if path.is_dir() else 0o600)
        self.read_only = True
        weakref.finalize(self, shutil.rmtree, copy.parent, True)
        return chromadb.PersistentClient(path=str(copy), settings=ChromaSettings(anonymized_telemetry=False))

    def _wipe_local(self, why: str) -> None:
        log.warning(
            "index at %s is unreadable (%s); rebuilding it from the seeds", self.settings.index_dir, why
        )
        from chromadb.api.client import SharedSystemClient  # type: ignore[attr-defined]

        SharedSystemClient.clear_system_cache()
        self._client = None
        for child in self.settings.index_dir.iterdir():
            if child.is_dir() and (_CHROMA_SEGMENT.match(child.name) or child.name == "lexical"):
                shutil.rmtree(child)
            elif child.name.startswith("chroma.sqlite3"):
                child.unlink()
            # anything else in the folder is not ours and is left alone
