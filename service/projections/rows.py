"""Row writes a view describes as data, so that successive writes to one row become one.

Besides raw SQL statements, a view's handler may return a `NewRow` (insert a row unless
its key is taken) or a `RowChange` (set plain values on the row with a key). Before a
batch is written, `coalesce` folds each change into the write just before it when that
write is to the same row: a session booked, performed and evaluated is one upsert
instead of three statements, and the upserts of a run of such sessions share one SQL
text, which `executemany` runs with one prepared statement (the library opens SQLite
connections with a statement cache of one, so every change of SQL text re-prepares).
A view may define writes of its own that fold the same way (the notices' do): anything
with `absorbs`, `then` and `statements`, a `RowWrite`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from service.adapters.view_statements import Statement


class RowWrite(Protocol):
    """A write that may take the write just after it into itself (same rows in the end)."""

    def absorbs(self, write: Write) -> bool:
        """Whether `write`, coming just after this one, can be folded into it."""

    def then(self, write: Any) -> RowWrite:
        """This write followed by `write` (one it absorbs), as one write."""

    def statements(self) -> list[Statement]:
        """The SQL statements that make the write."""


@dataclass(slots=True)  # never changed once made; not frozen, which makes it 5x slower to make
class RowChange:
    """UPDATE the row whose key columns equal `key`: set plain `values` (never a key column)."""

    table: str
    key: dict[str, Any]
    values: dict[str, Any]

    def absorbs(self, write: Write) -> bool:
        """A change to the same row."""
        return type(write) is RowChange and write.key == self.key and write.table == self.table

    def then(self, change: RowChange) -> RowChange:
        """This change followed by `change` to the same row, as one change."""
        return RowChange(self.table, self.key, {**self.values, **change.values})

    def statements(self) -> list[Statement]:
        """The UPDATE statement, alone."""
        return [self.statement()]

    def statement(self) -> Statement:
        """The UPDATE statement."""
        sql = _update_sql(self.table, tuple(self.values), tuple(self.key))
        return sql, (*self.values.values(), *self.key.values())


@dataclass(slots=True)  # never changed once made
class NewRow:
    """INSERT a row unless its `key` is taken (ON CONFLICT (key) DO NOTHING).

    `key` and `values` are parameters; `selected` are SQL expressions (literals, or columns
    read from `source`, a "FROM ... WHERE ..." clause taking `source_params`). Without a
    source the row is inserted with VALUES. A source must give at most one row, and outlive
    every row inserted from it (a session's plan outlives the session): then a change folded
    into the insert is never lost for want of a source row to insert from. `changed` are the
    columns folded-in changes set; if the key is taken the conflict sets those instead.
    """

    table: str
    key: dict[str, Any]
    values: dict[str, Any]
    selected: dict[str, str] = field(default_factory=dict)
    source: str = ""
    source_params: tuple[Any, ...] = ()
    changed: tuple[str, ...] = ()

    def absorbs(self, write: Write) -> bool:
        """A change to the inserted row."""
        return type(write) is RowChange and write.key == self.key and write.table == self.table

    def then(self, change: RowChange) -> NewRow:
        """This insert followed by `change` to the same row, as one upsert."""
        return NewRow(
            self.table,
            self.key,
            {**self.values, **change.values},
            {c: e for c, e in self.selected.items() if c not in change.values},
            self.source,
            self.source_params,
            self.changed + tuple(c for c in change.values if c not in self.changed),
        )

    def statement(self) -> Statement:
        """The INSERT ... ON CONFLICT statement."""
        sql = _insert_sql(
            self.table,
            (*self.key, *self.values),
            tuple(self.selected.items()),
            self.source,
            tuple(self.key),
            self.changed,
        )
        return sql, (*self.key.values(), *self.values.values(), *self.source_params)

    def statements(self) -> list[Statement]:
        """The INSERT ... ON CONFLICT statement, alone."""
        return [self.statement()]


Write = Statement | RowWrite


def coalesce(writes: Iterable[Write]) -> list[Statement]:
    """The writes as statements, each folded into the write just before it when that write
    absorbs it (a change to the same row: same rows in the end, fewer statements)."""
    statements: list[Statement] = []
    pending: RowWrite | None = None  # the last row write, while writes it absorbs may follow
    for write in writes:
        if pending is not None:
            if pending.absorbs(write):
                pending = pending.then(write)
                continue
            statements.extend(pending.statements())
            pending = None
        if isinstance(write, tuple):
            statements.append(write)
        else:
            pending = write
    if pending is not None:
        statements.extend(pending.statements())
    return statements


@cache
def _update_sql(table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    assignments = ", ".join(f"{column} = %s" for column in columns)
    where = " AND ".join(f"{column} = %s" for column in key)
    return f"UPDATE {table} SET {assignments} WHERE {where}"


@cache
def _insert_sql(
    table: str,
    parameters: tuple[str, ...],
    selected: tuple[tuple[str, str], ...],
    source: str,
    key: tuple[str, ...],
    changed: tuple[str, ...],
) -> str:
    columns = ", ".join([*parameters, *(column for column, _ in selected)])
    items = ", ".join([*("%s" for _ in parameters), *(expression for _, expression in selected)])
    rows = f"SELECT {items} {source}" if source else f"VALUES ({items})"
    conflict = (
        "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in changed)
        if changed
        else "DO NOTHING"
    )
    return f"INSERT INTO {table} ({columns}) {rows} ON CONFLICT ({', '.join(key)}) {conflict}"
