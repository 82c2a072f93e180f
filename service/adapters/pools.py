"""Replacing a library's connection pool before its first connection.

The library builds each datastore's pool itself and offers no way in for the one setting
Regimen changes (a `check` callback for PostgreSQL, a larger statement cache for SQLite),
so the pool is replaced by one alike in every other setting, read from the one it built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def settings_of(pool: object, names: Iterable[str]) -> dict[str, Any]:
    """The named settings of a pool, as the keyword arguments that build its like."""
    return {name: getattr(pool, name) for name in names}
