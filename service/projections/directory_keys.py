"""With a cipher key, the directory keeps no client's email or phone number in clear.

It keeps a keyed hash of each (HMAC-SHA256 under a key derived from the cipher key), so
an exact email or E.164 number still finds the client, and a duplicate is still noticed
at registration; names stay in clear, for search as you type (a documented trade-off:
the directory's rows are deleted when the client is erased). The key is set for the
time a projector writes or a query reads (a context variable), so the views' handlers
stay plain functions of the events.
"""

from __future__ import annotations

import hmac
from base64 import b64decode
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

LOOKUP_KEY: ContextVar[bytes | None] = ContextVar("directory_lookup_key", default=None)
_LABEL = b"regimen directory lookup v1"
PREFIX = "hmac:"


def lookup_key_of(app: Any) -> bytes | None:
    """The directory's lookup key for this application (None without a cipher key)."""
    cipher_key = app.env.get("CIPHER_KEY") if hasattr(app, "env") else None
    return hmac.digest(b64decode(cipher_key), _LABEL, "sha256") if cipher_key else None


@contextmanager
def looking_up_with(key: bytes | None) -> Iterator[None]:
    """Hash contact details with this key (None: keep them in clear) inside the block."""
    token = LOOKUP_KEY.set(key)
    try:
        yield
    finally:
        LOOKUP_KEY.reset(token)


def keyed() -> bool:
    """Whether contact details are kept hashed now."""
    return LOOKUP_KEY.get() is not None


def lookup(value: str) -> str:
    """What the directory keeps of an email or a phone number: itself without a key, else
    its keyed hash (case-insensitive); nothing stays nothing."""
    key = LOOKUP_KEY.get()
    if key is None or not value:
        return value
    return PREFIX + hmac.new(key, value.casefold().encode(), "sha256").hexdigest()


def search_clause(pattern: str, query: str) -> tuple[str, list[str]]:
    """The directory's search: part of the name (or, without a key, of the email or phone),
    or, with a key, exactly the email or phone number given."""
    if not keyed():
        return "search LIKE %s ESCAPE '!'", [pattern]
    return "(search LIKE %s ESCAPE '!' OR email = %s OR phone = %s)", [
        pattern,
        lookup(query.strip()),
        lookup(query.strip()),
    ]


def revealed(app: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Client rows with their email and phone read from the clients themselves (the
    directory keeps only hashes of them), in one read."""
    hashed = [row for row in rows if _hashed(row)]
    if not hashed:
        return rows
    clients = app.current([UUID(row["id"]) for row in hashed])
    return [
        {**row, "email": client.email, "phone": client.phone}
        if _hashed(row) and (client := clients.get(UUID(row["id"]))) is not None
        else row
        for row in rows
    ]


def _hashed(row: dict[str, Any]) -> bool:
    return any(str(row.get(column, "")).startswith(PREFIX) for column in ("email", "phone"))
