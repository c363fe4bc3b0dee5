"""Where uploaded materials' bytes live: one small interface, files under ``instance/`` by default.

Keys are random (never the uploaded file name), so a name cannot reach outside the store's
directory; another store (an object store) implements the same three calls.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
from pathlib import Path
from typing import Protocol

from config import get_settings

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,80}$")


class FileStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError("invalid storage key")
        return self.root / key[:2] / key

    def put(self, data: bytes) -> str:
        key = secrets.token_urlsafe(24)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def count(self) -> int:
        return sum(1 for p in self.root.rglob("*") if p.is_file()) if self.root.exists() else 0


@functools.cache
def file_store() -> LocalFileStore:
    return LocalFileStore(get_settings().instance_path / "uploads")
