"""Read-then-write transactions on the views' database, holding its write lock from the start.

SQLite: `BEGIN IMMEDIATE` takes the database's one write lock before the first read, so
no other process (or thread) can write between our read and our write. PostgreSQL: an
ordinary transaction; callers add `FOR UPDATE SKIP LOCKED` or an advisory lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from service.adapters.transactions import (
    read_transaction,
    schema_transaction,
    sqlite_write_transaction,
)
from service.adapters.view_recorders import in_schema


class Transaction:
    """Statements inside one locked transaction, with %s placeholders on every backend."""

    def __init__(self, cursor: Any, *, sqlite: bool) -> None:
        self.cursor = cursor
        self.sqlite = sqlite

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Execute a statement."""
        self.cursor.execute(_sqlite(sql) if self.sqlite else sql, tuple(params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Execute a statement and return its rows (a SELECT, or RETURNING) as dicts."""
        self.run(sql, params)
        return [dict(row) for row in self.cursor.fetchall()]


class ViewDatabase:
    """The database the views live in (the event store's own, or memory beside it)."""

    def __init__(self, datastore: SQLiteDatastore | PostgresDatastore) -> None:
        self.datastore = datastore

    @classmethod
    def of(cls, recorder: Any) -> ViewDatabase:
        """The database of a view recorder (from view_recorder_for)."""
        return cls(recorder.datastore)

    @property
    def postgres(self) -> bool:
        """Whether this is PostgreSQL (which has FOR UPDATE SKIP LOCKED)."""
        return isinstance(self.datastore, PostgresDatastore)

    @contextmanager
    def locked(self, advisory_lock: int | None = None) -> Iterator[Transaction]:
        """A transaction that commits if the block succeeds and rolls back if it raises.

        On PostgreSQL `advisory_lock` serialises the callers sharing that key.
        """
        if isinstance(self.datastore, SQLiteDatastore):
            with sqlite_write_transaction(self.datastore) as cursor:
                yield Transaction(cursor, sqlite=True)
            return
        with schema_transaction(self.datastore, commit=True) as cursor:
            if advisory_lock is not None:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (advisory_lock,))
            yield Transaction(cursor, sqlite=False)

    def statement(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """One statement committed by itself, and its rows (RETURNING) as dicts.

        A single statement is atomic and, once it returns, committed (the connections
        are in auto-commit mode), so it needs no BEGIN and COMMIT around it: one call
        where a transaction takes three, and on PostgreSQL one round trip.
        """
        if isinstance(self.datastore, SQLiteDatastore):
            with (
                self.datastore.get_connection(commit=True) as writing,
                writing.cursor() as cursor,
            ):
                return [dict(row) for row in cursor.execute(_sqlite(sql), tuple(params))]
        with self.datastore.get_connection() as connection:
            in_schema(connection, self.datastore.schema)
            return [dict(row) for row in connection.execute(sql, tuple(params)).fetchall()]

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A read-only transaction: no write lock, rolled back at the end."""
        with read_transaction(self.datastore) as cursor:
            yield Transaction(cursor, sqlite=not self.postgres)


def claim_token(worker: str) -> str:
    """What marks an outbox claim as this holder's: the worker's name and a part of its own."""
    return f"{worker}/{uuid.uuid4().hex[:12]}"


def _sqlite(sql: str) -> str:
    """A statement written with %s placeholders, in SQLite's (?)."""
    return sql.replace("%s", "?")
