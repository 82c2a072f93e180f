"""The schema's version: an ordered list of steps, and the one process at a time that applies them.

The database records the number of the last step applied, in a one-row table. An
upgrade takes the database's lock (PostgreSQL: the schema advisory lock, held by the
transaction; SQLite: its own write lock, `BEGIN IMMEDIATE`), reads the version, runs
every missing step and records the new version, all in that one transaction: a
second upgrade started meanwhile waits for the lock, then reads the new version and
finds nothing to do. Every step is written so that it may meet its own tables
already there (IF NOT EXISTS): a database made before versions were recorded reads
as version 0 and goes through step 1 harmlessly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresDatastore, PostgresRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteRecorder
from psycopg.errors import DuplicateObject

from service.adapters.dialects import on_backend
from service.adapters.schema import SCHEMA_LOCK
from service.adapters.transactions import (
    read_transaction,
    schema_transaction,
    sqlite_write_transaction,
)
from service.adapters.view_recorders import view_recorder_for

VERSION_TABLE = "regimen_schema_version"
CREATE_VERSION_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)"  # one row
)


@dataclass(frozen=True)
class SchemaStep:
    """One change of the schema: its number, what it does, and its statements.

    `statements` are portable SQL run in the upgrade's transaction (unqualified names
    resolve in the event store's schema); `event_store` also creates the library's
    tables (events, seals, snapshots, the views' tracking) first.
    """

    version: int
    does: str
    statements: Callable[[], Sequence[str]]
    event_store: bool = False


@dataclass(frozen=True)
class Upgrade:
    """What one upgrade found and did."""

    before: int
    after: int
    applied: tuple[SchemaStep, ...]

    def describe(self) -> str:
        """One line for the operator."""
        if not self.applied:
            return f"schema version {self.after} is current: nothing to do"
        steps = "; ".join(f"{step.version}: {step.does}" for step in self.applied)
        return f"schema version {self.before} -> {self.after}: applied {steps}"


def upgrade_schema(
    app: Any, steps: Sequence[SchemaStep], *, only_if_fresh: bool = False
) -> Upgrade:
    """Apply the steps the database lacks, under its lock, and record the version.

    `only_if_fresh`: apply them only to an empty database (no version and no event
    table), so that opening a new database makes it current while a database holding
    an older schema is changed only by `regimen db upgrade`.
    """
    recorder: Any = view_recorder_for(app)
    datastore = recorder.datastore
    sqlite = isinstance(datastore, SQLiteDatastore)
    if only_if_fresh:  # a database already made (every start but the first) takes no lock
        with read_transaction(datastore) as cursor:
            if not _fresh(cursor, app, sqlite=sqlite):
                version = (
                    _read_version(cursor) if _exists(cursor, VERSION_TABLE, sqlite=sqlite) else 0
                )
                return Upgrade(version, version, ())
    with _locked(datastore) as cursor:
        fresh = _fresh(cursor, app, sqlite=sqlite)
        versioned = _exists(cursor, VERSION_TABLE, sqlite=sqlite)
        before = _read_version(cursor) if versioned else 0
        missing = tuple(step for step in steps if step.version > before)
        if only_if_fresh and not fresh:
            missing = ()
        if missing and not versioned:
            cursor.execute(CREATE_VERSION_TABLE)
        for step in missing:
            if step.event_store:
                _create_event_store(cursor, [app.recorder, _snapshots(app), recorder])
            for statement in on_backend(step.statements(), "sqlite" if sqlite else "postgres"):
                cursor.execute(statement)
        after = missing[-1].version if missing else before
        if missing:
            cursor.execute(f"DELETE FROM {VERSION_TABLE}")
            cursor.execute(
                f"INSERT INTO {VERSION_TABLE} VALUES ({'?' if sqlite else '%s'})", (after,)
            )
    if missing:
        for store in {getattr(r, "datastore", None) for r in _recorders(app)}:
            if isinstance(store, PostgresDatastore):
                store.register_type_adapters()
    return Upgrade(before, after, missing)


def schema_version(app: Any) -> int:
    """The version the database records (0 before any: an older or empty database)."""
    datastore = getattr(view_recorder_for(app), "datastore")  # noqa: B009 (a protocol lacks it)
    sqlite = isinstance(datastore, SQLiteDatastore)
    with read_transaction(datastore) as cursor:
        if not _exists(cursor, VERSION_TABLE, sqlite=sqlite):
            return 0
        return _read_version(cursor)


def _fresh(cursor: Any, app: Any, *, sqlite: bool) -> bool:
    """Whether the database is empty: no version recorded and no event table."""
    return not _exists(cursor, VERSION_TABLE, sqlite=sqlite) and not _event_store_exists(
        cursor, app, sqlite=sqlite
    )


def _read_version(cursor: Any) -> int:
    cursor.execute(f"SELECT version FROM {VERSION_TABLE}")
    row = cursor.fetchone()
    return 0 if row is None else int(row[0] if isinstance(row, tuple) else row["version"])


def _snapshots(app: Any) -> Any:
    return app.snapshots.recorder if app.snapshots else None


def _recorders(app: Any) -> list[Any]:
    return [r for r in (app.recorder, _snapshots(app)) if r is not None]


def _event_store_exists(cursor: Any, app: Any, *, sqlite: bool) -> bool:
    table = getattr(app.recorder, "events_table_name", None)
    if table is None:  # the in-memory store: nothing outlives the process
        return False
    return _exists(cursor, table, sqlite=sqlite)


def _exists(cursor: Any, table: str, *, sqlite: bool) -> bool:
    if sqlite:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
        return cursor.fetchone() is not None
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL AS found", (table,))
    row = cursor.fetchone()
    return bool(row["found"])


def _create_event_store(cursor: Any, recorders: Sequence[Any]) -> None:
    """The library's tables of these recorders (each on this database), in this transaction."""
    for recorder in recorders:
        if isinstance(recorder, SQLiteRecorder):
            for text in recorder.create_table_statements:
                cursor.execute(text)
        elif isinstance(recorder, PostgresRecorder):
            for composed in recorder.sql_create_statements:
                if "CREATE TYPE" in composed.as_string():
                    # No IF NOT EXISTS for types: an existing one fails only its savepoint.
                    with contextlib.suppress(DuplicateObject), cursor.connection.transaction():
                        cursor.execute(composed, prepare=False)
                else:
                    cursor.execute(composed, prepare=False)


@contextlib.contextmanager
def _locked(datastore: SQLiteDatastore | PostgresDatastore) -> Iterator[Any]:
    """A transaction holding the database's schema lock, committed if the block succeeds."""
    if isinstance(datastore, SQLiteDatastore):
        with sqlite_write_transaction(datastore) as cursor:
            yield cursor
        return
    with schema_transaction(datastore, commit=True) as pg_cursor:
        pg_cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        yield pg_cursor
