"""A view's writes as its projector hands them over: statements, grouped and made storable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Statement = tuple[str, Sequence[Any]]


def runs_of_same_sql(statements: Sequence[Statement]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Consecutive statements with the same SQL, grouped for executemany (order kept)."""
    runs: list[tuple[str, list[tuple[Any, ...]]]] = []
    for sql, params in statements:
        if runs and runs[-1][0] == sql:
            runs[-1][1].append(tuple(params))
        else:
            runs.append((sql, [tuple(params)]))
    return runs


def without_nul(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The row with NUL in text replaced by U+FFFD: PostgreSQL text cannot hold NUL.

    A view only shows what the events hold, and each event keeps its text exactly as
    written (the store keeps bytes), so a name with a NUL is listed with a visible
    replacement rather than stopping the whole view at that event.
    """
    if not any(type(value) is str and "\x00" in value for value in row):
        return row
    return tuple(value.replace("\x00", "\ufffd") if type(value) is str else value for value in row)
