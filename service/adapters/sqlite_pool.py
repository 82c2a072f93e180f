"""SQLite connections that keep their prepared statements.

The library opens SQLite connections with `cached_statements=True`, which Python reads
as a cache of one statement: every change of SQL text prepares the next statement
again. A command, a reminder pass and a view rebuild alternate several statements,
some of them long (reading many aggregates at once, folding row writes), so most of
their statements were prepared anew each time (measured: a reminder's re-check query
spent three quarters of its time being prepared). This pool is the library's, with a
cache of STATEMENTS per connection.
"""

from __future__ import annotations

import sqlite3

from eventsourcing.persistence import InterfaceError
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteDatastore,
)

from service.adapters.pools import settings_of

STATEMENTS = 256
# The settings of the library's pool the statement-caching one keeps.
KEPT = (
    "db_name",
    "lock_timeout",
    "pool_size",
    "max_overflow",
    "pool_timeout",
    "max_age",
    "pre_ping",
)


class StatementCachingPool(SQLiteConnectionPool):
    """The library's SQLite connection pool, its connections caching STATEMENTS each."""

    def _create_connection(self) -> SQLiteConnection:
        """The library's connection (auto-commit, WAL for files, rows by name)."""
        try:
            connection = sqlite3.connect(
                database=self.db_name,
                uri=True,
                check_same_thread=False,
                isolation_level=None,
                cached_statements=STATEMENTS,
                timeout=self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT,
            )
        except (sqlite3.Error, TypeError) as error:
            raise InterfaceError(error) from error
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            mode = connection.execute("PRAGMA journal_mode;").fetchone()[0]
            if mode.lower() != "wal":
                connection.execute("PRAGMA journal_mode=WAL;")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        connection.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=connection, max_age=self.max_age)


def cache_statements(datastore: SQLiteDatastore) -> None:
    """Give a datastore, before its first connection, the statement-caching pool."""
    old = datastore.pool
    datastore.pool = StatementCachingPool(**settings_of(old, KEPT))
    old.close()
