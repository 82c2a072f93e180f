"""Transactions on the event store's own database, as the views and the schema need them.

SQLite: `BEGIN IMMEDIATE` takes the database's one write lock before the first read, so
no other process (or thread) can write between a read and the write it decides.
PostgreSQL: the event store may live in a schema of its own (`?schema=`), so each
transaction first points unqualified names at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg.sql import SQL, Identifier


@contextmanager
def sqlite_write_transaction(datastore: SQLiteDatastore) -> Iterator[Any]:
    """A transaction holding SQLite's write lock from its start, committed if the block
    succeeds and rolled back if it raises."""
    with datastore.get_connection(commit=True) as connection:
        cursor = connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                connection.rollback()
                raise
            connection.commit()
        finally:
            cursor.sqlite_cursor.close()


@contextmanager
def schema_transaction(datastore: PostgresDatastore, *, commit: bool) -> Iterator[Any]:
    """A PostgreSQL transaction whose unqualified names resolve in the event store's schema."""
    with datastore.transaction(commit=commit) as cursor:
        if datastore.schema:
            cursor.execute(SQL("SET LOCAL search_path TO {0}").format(Identifier(datastore.schema)))
        yield cursor


@contextmanager
def read_transaction(datastore: SQLiteDatastore | PostgresDatastore) -> Iterator[Any]:
    """A read-only transaction (no write lock), rolled back at the end."""
    if isinstance(datastore, SQLiteDatastore):
        with datastore.transaction(commit=False) as cursor:
            yield cursor
        return
    with schema_transaction(datastore, commit=False) as pg_cursor:
        yield pg_cursor
