"""Statements for one backend only: the views' tables are portable SQL, save their search indexes.

Client search needs an index each backend builds its own way (PostgreSQL: a pg_trgm GIN
index; SQLite: an FTS5 trigram table kept by triggers), so a view's table statements may
name the one backend they are for. Every place that runs schema statements passes them
through `on_backend` first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Backend = Literal["sqlite", "postgres"]


class OnlyOn(str):
    """A statement that only `backend` runs; the other skips it."""

    backend: Backend

    def __new__(cls, backend: Backend, sql: str) -> OnlyOn:
        statement = super().__new__(cls, sql)
        statement.backend = backend
        return statement


def on_backend(statements: Iterable[str], backend: Backend) -> list[str]:
    """The statements this backend runs: the portable ones and its own."""
    return [s for s in statements if getattr(s, "backend", backend) == backend]
