"""Where views live: eventsourcing tracking recorders that also write and read view rows.

A view's rows and its tracking position are written in one transaction, so a
view is exactly-once: re-processing a tracked position raises IntegrityError
and rolls the rows back. Views write portable SQL with %s placeholders.
"""

from __future__ import annotations

import itertools
import sqlite3
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.sql import SQL, Identifier

from service.adapters.dialects import on_backend
from service.adapters.schema import SCHEMA_LOCK, sqlite_schema_lock
from service.adapters.transactions import schema_transaction
from service.adapters.view_statements import Statement, runs_of_same_sql, without_nul

_MEMORY_VIEWS: weakref.WeakKeyDictionary[Any, SQLiteViewRecorder] = weakref.WeakKeyDictionary()


class ViewRecorder(Protocol):
    """What the projector and the queries need from a backend."""

    def create_view_tables(self, statements: Sequence[str]) -> None:
        """Create the views' tables and indexes if they do not exist."""

    def write(self, statements: Sequence[Statement], trackings: Sequence[Tracking]) -> None:
        """Run the statements and record the positions, all in one transaction."""

    def query(
        self, sql: str, params: Sequence[Any] = (), *, in_index_order: bool = False
    ) -> list[dict[str, Any]]:
        """Rows of a read-only query, as dicts. `in_index_order`: the query reads an index
        in order and stops early (ORDER BY ... LIMIT), and must not be planned as reading
        every row and sorting them, whatever the planner believes of the table's size."""

    def max_tracking_id(self, application_name: str) -> int | None:
        """The position a view has processed up to."""

    def tracked(self, names: Sequence[str], log: str | None) -> tuple[dict[str, int], int | None]:
        """The position each name has processed up to (0: none yet) and, if `log` names
        the events table of this database, the log's last position (0: empty; None: not
        asked): one statement, one round trip, however many views there are."""

    def reset(self, application_name: str, statements: Sequence[str]) -> None:
        """Empty a view (run the statements) and forget its position, atomically."""

    def upgrade(
        self, application_name: str, view: str, version: int, rebuild: Sequence[str]
    ) -> bool:
        """If the stored layout of `view` is not `version`, run `rebuild` (drop and create),
        forget its position and record the version — all in one serialised transaction,
        so that processes starting together upgrade a view once. True if it upgraded."""


UPGRADE_CHECK = "SELECT version FROM rv_view_versions WHERE view = %s"
UPGRADE_MARK = (
    "INSERT INTO rv_view_versions VALUES (%s, %s)"
    " ON CONFLICT (view) DO UPDATE SET version = excluded.version"
)


def _stopping_after(steps: int) -> tuple[Callable[[], bool], int]:
    """A progress handler, and every how many steps SQLite calls it, that stops a statement
    within `granule` steps either side of `steps`. Not at the first call: SQLite makes it
    after 1 to `granule` steps, by how many the cached statement took in earlier runs."""
    granule = max(1, min(1000, steps))
    calls = itertools.count()
    allowed = steps // granule
    return (lambda: next(calls) >= allowed), granule


class SQLiteViewRecorder(SQLiteTrackingRecorder):
    """Views in SQLite: the event store's own file, or memory beside an in-memory store."""

    def create_view_tables(self, statements: Sequence[str]) -> None:
        """Create the tracking table and the views' tables, one process at a time."""
        with sqlite_schema_lock(self.datastore):
            self.create_table()
            with self.datastore.transaction(commit=True) as cursor:
                for statement in on_backend(statements, "sqlite"):
                    cursor.execute(statement)

    def write(self, statements: Sequence[Statement], trackings: Sequence[Tracking]) -> None:
        """Tracking first, so a concurrent duplicate fails before doing any work."""
        with self.datastore.transaction(commit=True) as cursor:
            for tracking in trackings:
                self._insert_tracking(cursor, tracking)
            for sql, rows in runs_of_same_sql(statements):
                cursor.executemany(sql.replace("%s", "?"), rows)

    def query(
        self, sql: str, params: Sequence[Any] = (), *, in_index_order: bool = False
    ) -> list[dict[str, Any]]:
        """Rows as dicts (SQLite reads an index in order for ORDER BY ... LIMIT by itself)."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql.replace("%s", "?"), tuple(params))
            return [dict(row) for row in cursor.fetchall()]

    def query_within(
        self, sql: str, params: Sequence[Any], steps: int
    ) -> list[dict[str, Any]] | None:
        """Rows as dicts, or None if SQLite stopped the query after `steps` steps of its
        virtual machine: a bound on the work of a query whose reach depends on the data."""
        with self.datastore.transaction(commit=False) as cursor:
            connection = cursor.sqlite_cursor.connection
            connection.set_progress_handler(*_stopping_after(steps))
            try:
                cursor.execute(sql.replace("%s", "?"), tuple(params))
                return [dict(row) for row in cursor.fetchall()]
            except sqlite3.OperationalError as error:
                if str(error) != "interrupted":
                    raise
                return None
            finally:
                connection.set_progress_handler(None, 0)

    def tracked(self, names: Sequence[str], log: str | None) -> tuple[dict[str, int], int | None]:
        """See ViewRecorder.tracked."""
        rows = self.query(tracked_sql(names, "tracking", log, "rowid"), names)
        return _positions(rows, log)

    def reset(self, application_name: str, statements: Sequence[str]) -> None:
        """Empty the view and delete its tracking row in one transaction."""
        with self.datastore.transaction(commit=True) as cursor:
            for statement in on_backend(statements, "sqlite"):
                cursor.execute(statement)
            cursor.execute("DELETE FROM tracking WHERE application_name = ?", (application_name,))

    def upgrade(
        self, application_name: str, view: str, version: int, rebuild: Sequence[str]
    ) -> bool:
        """See ViewRecorder.upgrade; a no-op write first takes SQLite's write lock."""
        with sqlite_schema_lock(self.datastore), self.datastore.transaction(commit=True) as cursor:
            cursor.execute("UPDATE rv_view_versions SET version = version WHERE 0")
            cursor.execute(UPGRADE_CHECK.replace("%s", "?"), (view,))
            row = cursor.fetchone()
            if row is not None and row[0] == version:
                return False
            for statement in on_backend(rebuild, "sqlite"):
                cursor.execute(statement)
            cursor.execute("DELETE FROM tracking WHERE application_name = ?", (application_name,))
            cursor.execute(UPGRADE_MARK.replace("%s", "?"), (view, version))
            return True


class PostgresViewRecorder(PostgresTrackingRecorder):
    """Views in the PostgreSQL schema of the event store."""

    def create_view_tables(self, statements: Sequence[str]) -> None:
        """Create the tracking table and the views' tables (serialised across processes)."""
        with self._transaction(commit=True) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for created in self.sql_create_statements:
                cursor.execute(created)
            for statement in on_backend(statements, "postgres"):
                cursor.execute(statement)

    def write(self, statements: Sequence[Statement], trackings: Sequence[Tracking]) -> None:
        """Tracking first, so a concurrent duplicate fails before doing any work."""
        with self._transaction(commit=True) as cursor:
            for tracking in trackings:
                self._insert_tracking(cursor, tracking)
            for sql, rows in runs_of_same_sql(statements):
                cursor.executemany(sql, [without_nul(row) for row in rows])

    def query(
        self, sql: str, params: Sequence[Any] = (), *, in_index_order: bool = False
    ) -> list[dict[str, Any]]:
        """Rows as dicts. One statement reads a consistent snapshot by itself: no BEGIN,
        search path and ROLLBACK round trips around it (the connection's own search path
        points at the schema, set once per connection). In index order: without
        statistics (a table never analysed) the planner takes any table for a few hundred
        rows, and would sort them all; that query runs in a transaction of its own."""
        if in_index_order:
            with self._transaction(commit=False) as cursor:
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute(sql, tuple(params))
                return [dict(row) for row in cursor.fetchall()]
        with self.datastore.get_connection() as connection:
            in_schema(connection, self.datastore.schema)
            return [dict(row) for row in connection.execute(sql, tuple(params)).fetchall()]

    def tracked(self, names: Sequence[str], log: str | None) -> tuple[dict[str, int], int | None]:
        """See ViewRecorder.tracked; qualified names, so no transaction around it."""
        schema = self.datastore.schema
        table = f'"{schema}"."{self.tracking_table_name}"'
        events = log and f'"{schema}"."{log}"'
        sql = tracked_sql(names, table, events, "notification_id")
        with self.datastore.get_connection() as connection:
            return _positions(connection.execute(sql, tuple(names)).fetchall(), log)

    def reset(self, application_name: str, statements: Sequence[str]) -> None:
        """Empty the view and delete its tracking row in one transaction."""
        with self._transaction(commit=True) as cursor:
            for statement in on_backend(statements, "postgres"):
                cursor.execute(statement)
            self._forget_position(cursor, application_name)

    def _forget_position(self, cursor: Any, application_name: str) -> None:
        """Delete the view's tracking row, so that it catches up from the start."""
        cursor.execute(
            SQL("DELETE FROM {0}.{1} WHERE application_name = %s").format(
                Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
            ),
            (application_name,),
        )

    def upgrade(
        self, application_name: str, view: str, version: int, rebuild: Sequence[str]
    ) -> bool:
        """See ViewRecorder.upgrade; the schema lock serialises it with every other DDL."""
        with self._transaction(commit=True) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            cursor.execute(UPGRADE_CHECK, (view,))
            row = cursor.fetchone()
            if row is not None and row["version"] == version:
                return False
            for statement in on_backend(rebuild, "postgres"):
                cursor.execute(statement)
            self._forget_position(cursor, application_name)
            cursor.execute(UPGRADE_MARK, (view, version))
            return True

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Any]:
        """A transaction whose unqualified names resolve in the event store's schema."""
        with schema_transaction(self.datastore, commit=commit) as cursor:
            yield cursor


_SEARCH_PATHS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def in_schema(connection: Any, schema: str) -> None:
    """Point a connection's unqualified names at the event store's schema, once per
    connection: every connection of a datastore serves that one schema (the library
    qualifies its own names; Regimen's transactions also SET LOCAL the same path)."""
    if _SEARCH_PATHS.get(connection) != schema:
        connection.execute(SQL("SET search_path TO {0}").format(Identifier(schema)))
        _SEARCH_PATHS[connection] = schema


def tracked_sql(names: Sequence[str], tracking: str, log: str | None, position: str) -> str:
    """The statement of ViewRecorder.tracked (%s placeholders: one per name)."""
    head = f"(SELECT MAX({position}) FROM {log})" if log else "NULL"
    return (
        f"WITH n(name) AS (VALUES {', '.join(['(%s)'] * len(names))})"
        f" SELECT n.name, (SELECT MAX(t.notification_id) FROM {tracking} t"
        f" WHERE t.application_name = n.name) AS position, {head} AS head FROM n"
    )


def _positions(rows: Sequence[Any], log: str | None) -> tuple[dict[str, int], int | None]:
    positions = {row["name"]: row["position"] or 0 for row in rows}
    head = (rows[0]["head"] or 0) if rows and log else None
    return positions, head


def view_recorder_for(app: Any) -> ViewRecorder:
    """A view recorder sharing the application's database (and its connection pool)."""
    datastore = getattr(app.recorder, "datastore", None)
    if isinstance(datastore, SQLiteDatastore):
        return SQLiteViewRecorder(datastore)
    if isinstance(datastore, PostgresDatastore):
        return PostgresViewRecorder(datastore, tracking_table_name="regimen_view_tracking")
    # An in-memory event store keeps its views in an in-memory SQLite database, one per
    # application object, shared by every projector of that application.
    if app not in _MEMORY_VIEWS:
        name = f"file:regimen-views-{uuid.uuid4().hex}?mode=memory&cache=shared"
        _MEMORY_VIEWS[app] = SQLiteViewRecorder(SQLiteDatastore(name))
    return _MEMORY_VIEWS[app]
