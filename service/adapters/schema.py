"""The schema lock: every DDL Regimen runs is one process at a time, so starts never race.

Left to the library, each process ran its DDL at boot at the same moment as the
others, and PostgreSQL failed one of them with "tuple concurrently updated" (CREATE
OR REPLACE FUNCTION and the composite type rewrite catalogue rows). Now the tables
are made by the schema's steps (service/adapters/schema_versions.py) in one
transaction holding the lock: on PostgreSQL a transaction-level advisory lock, on
SQLite the database's own write lock (BEGIN IMMEDIATE). A view rebuilt after its
layout changed (service/adapters/view_recorders.py) takes the same PostgreSQL lock,
and on SQLite a lock file beside the database (its own lock cannot order a deferred
transaction that read the schema before another process changed it).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from eventsourcing.sqlite import SQLiteDatastore

SCHEMA_LOCK = 727274001  # the advisory lock key of every DDL Regimen runs on PostgreSQL
LOCKED_MODULES = ("eventsourcing.postgres", "eventsourcing.sqlite")


@contextlib.contextmanager
def sqlite_schema_lock(datastore: SQLiteDatastore) -> Iterator[None]:
    """Hold the lock file beside a SQLite database file while changing its tables."""
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
