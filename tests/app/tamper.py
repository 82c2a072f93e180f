"""Someone with write access to the database, editing stored events behind Regimen's back."""

from __future__ import annotations

import sqlite3
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import psycopg


class Tamperer(Protocol):
    """Edits the events table directly."""

    def position_of(self, aggregate_id: UUID, version: int) -> int: ...  # noqa: D102
    def count(self) -> int: ...  # noqa: D102
    def change_byte(self, position: int) -> None: ...  # noqa: D102
    def delete(self, position: int) -> None: ...  # noqa: D102
    def swap(self, position: int, other: int) -> None: ...  # noqa: D102


class SQLiteTamperer:
    """Edits `stored_events` of a SQLite file; positions are rowids."""

    def __init__(self, database_url: str) -> None:
        self.path = urlsplit(database_url).path

    def _run(self, statement: str, *params: Any) -> list[Any]:
        with sqlite3.connect(self.path) as db:
            return db.execute(statement, params).fetchall()

    def position_of(self, aggregate_id: UUID, version: int) -> int:
        """The rowid of one stored event."""
        rows = self._run(
            "SELECT rowid FROM stored_events WHERE originator_id = ? AND originator_version = ?",
            aggregate_id.hex,
            version,
        )
        return int(rows[0][0])

    def count(self) -> int:
        """How many events are stored."""
        return int(self._run("SELECT COUNT(*) FROM stored_events")[0][0])

    def change_byte(self, position: int) -> None:
        """Flip one bit of one byte of the stored state."""
        state = bytearray(
            self._run("SELECT state FROM stored_events WHERE rowid = ?", position)[0][0]
        )
        state[len(state) // 2] ^= 1
        self._run("UPDATE stored_events SET state = ? WHERE rowid = ?", bytes(state), position)

    def delete(self, position: int) -> None:
        """Remove one row."""
        self._run("DELETE FROM stored_events WHERE rowid = ?", position)

    def swap(self, position: int, other: int) -> None:
        """Exchange the places of two rows in the log."""
        self._run("UPDATE stored_events SET rowid = -1 WHERE rowid = ?", position)
        self._run("UPDATE stored_events SET rowid = ? WHERE rowid = ?", position, other)
        self._run("UPDATE stored_events SET rowid = ? WHERE rowid = -1", other)

    def set_cell(self, position: int, column: str, value: Any) -> None:
        """Store a value in one cell of one row: SQLite keeps it whatever its type."""
        self._run(f"UPDATE stored_events SET {column} = ? WHERE rowid = ?", value, position)

    def alter_seal(self, position: int) -> None:
        """Overwrite the event hash of one seal."""
        self._run(
            "UPDATE stored_events_chain SET event_hash = ? WHERE position = ?", bytes(32), position
        )


class PostgresTamperer:
    """Edits `regimen_events` in the test schema; positions are notification ids."""

    def __init__(self, database_url: str) -> None:
        parts = urlsplit(database_url)
        self.schema = parse_qs(parts.query)["schema"][0]
        self.url = parts._replace(query="").geturl()
        self.table = f'"{self.schema}".regimen_events'

    def _run(self, statement: str, *params: Any) -> list[Any]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(statement.format(table=self.table), params)
            return cursor.fetchall() if cursor.description else []

    def position_of(self, aggregate_id: UUID, version: int) -> int:
        """The notification id of one stored event."""
        rows = self._run(
            "SELECT notification_id FROM {table} WHERE originator_id = %s "
            "AND originator_version = %s",
            aggregate_id,
            version,
        )
        return int(rows[0][0])

    def count(self) -> int:
        """How many events are stored."""
        return int(self._run("SELECT COUNT(*) FROM {table}")[0][0])

    def change_byte(self, position: int) -> None:
        """Flip one bit of one byte of the stored state."""
        self._run(
            "UPDATE {table} SET state = set_byte(state, length(state) / 2, "
            "get_byte(state, length(state) / 2) # 1) WHERE notification_id = %s",
            position,
        )

    def delete(self, position: int) -> None:
        """Remove one row."""
        self._run("DELETE FROM {table} WHERE notification_id = %s", position)

    def swap(self, position: int, other: int) -> None:
        """Exchange the places of two rows in the log."""
        self._run("UPDATE {table} SET notification_id = -1 WHERE notification_id = %s", position)
        self._run(
            "UPDATE {table} SET notification_id = %s WHERE notification_id = %s", position, other
        )
        self._run("UPDATE {table} SET notification_id = %s WHERE notification_id = -1", other)


def tamperer_for(database_url: str) -> Tamperer:
    """The tamperer for this database."""
    if database_url.startswith("sqlite"):
        return SQLiteTamperer(database_url)
    return PostgresTamperer(database_url)
