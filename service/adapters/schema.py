"""Creating the database's tables one process at a time, so that starts never race.

Every worker of `regimen serve` builds its own application. Left to the library,
each ran its DDL at boot at the same moment as the others, and PostgreSQL failed
one of them with "tuple concurrently updated" (CREATE OR REPLACE FUNCTION and the
composite type rewrite catalogue rows); gunicorn then shut the whole server down.
Here every DDL at boot (the event store's tables, the seals, the views, the
idempotency keys) runs under one lock: on PostgreSQL a transaction-level advisory
lock taken by the transaction that holds the DDL, on SQLite a lock file beside
the database (SQLite's own lock cannot order a deferred transaction that read the
schema before another process changed it).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from eventsourcing.postgres import PostgresDatastore, PostgresRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteRecorder
from psycopg.errors import DuplicateObject

SCHEMA_LOCK = 727274001  # the advisory lock key of every DDL Regimen runs on PostgreSQL
LOCKED_MODULES = ("eventsourcing.postgres", "eventsourcing.sqlite")


def create_event_store_tables(recorders: Sequence[Any]) -> None:
    """Create the tables of these library recorders (events, seals, snapshots), once."""
    postgres = [r for r in recorders if isinstance(r, PostgresRecorder)]
    if postgres:
        datastore = postgres[0].datastore
        with postgres_schema_transaction(datastore) as cursor:
            for recorder in postgres:
                for statement in recorder.sql_create_statements:
                    if "CREATE TYPE" in statement.as_string():
                        # No IF NOT EXISTS for types: an existing one fails only its savepoint.
                        with (
                            contextlib.suppress(DuplicateObject),
                            cursor.connection.transaction(),
                        ):
                            cursor.execute(statement, prepare=False)
                    else:
                        cursor.execute(statement, prepare=False)
        for recorder in postgres:
            recorder.datastore.register_type_adapters()
    for recorder in recorders:
        if isinstance(recorder, SQLiteRecorder):
            with sqlite_schema_lock(recorder.datastore):
                recorder.create_table()


@contextlib.contextmanager
def postgres_schema_transaction(datastore: PostgresDatastore) -> Iterator[Any]:
    """A committed transaction holding the schema lock, for DDL only one process runs at once."""
    with datastore.transaction(commit=True) as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        yield cursor


@contextlib.contextmanager
def sqlite_schema_lock(datastore: SQLiteDatastore) -> Iterator[None]:
    """Hold the lock file beside a SQLite database file while creating its tables."""
    pool = datastore.pool
    if pool.is_sqlite_memory_mode:  # one process only: nothing to race
        yield
        return
    path = Path(f"{pool.db_name}.schema-lock")
    with path.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file is closed, or the process dies
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
