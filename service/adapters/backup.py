"""Copies of a SQLite database taken with SQLite's online backup API, safe while it is in use.

The backup API copies the database page by page as one consistent snapshot (a read
transaction: in WAL mode, writers go on meanwhile), so a copy taken while the service
books holds every event committed before it began, seals and views included.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

EVENTS = "stored_events"


class BackupRefused(ValueError):
    """The copy cannot be made as asked; the message says why and what to do."""


def stored_events(path: Path) -> int:
    """How many events the SQLite database at `path` holds (0 for no file or no table)."""
    if not path.exists():
        return 0
    try:
        return _count(path)
    except sqlite3.DatabaseError as error:
        raise BackupRefused(f"{path} is not a SQLite database ({error})") from None


def _count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        found = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (EVENTS,)
        ).fetchone()
        if not found:
            return 0
        return int(connection.execute(f"SELECT count(*) FROM {EVENTS}").fetchone()[0])


def last_position(path: Path) -> int:
    """The position of the last event in the SQLite database at `path` (0 for none)."""
    with closing(sqlite3.connect(path)) as connection:
        found = connection.execute(f"SELECT max(rowid) FROM {EVENTS}").fetchone()
        return int(found[0] or 0)


def _copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)


def backup(database: Path, target: Path) -> int:
    """Copy the database (in use or not) to a new file; the last event position copied."""
    if not database.exists():
        raise BackupRefused(f"there is no database at {database} to back up")
    if target.exists():
        raise BackupRefused(f"{target} exists already: give the backup a new file name")
    if not target.parent.is_dir():
        raise BackupRefused(f"the folder {target.parent} does not exist")
    _copy(database, target)
    return last_position(target)


def restore(copy: Path, database: Path) -> int:
    """Copy a backup into a database holding no event; the last event position restored."""
    if not copy.is_file():
        raise BackupRefused(f"there is no backup at {copy}")
    if not stored_events(copy):
        raise BackupRefused(f"{copy} is not a Regimen backup: it holds no event")
    held = stored_events(database)
    if held:
        raise BackupRefused(
            f"the database at {database} is not empty (it holds {held} events): restore into "
            "a new database, never over one in use"
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    _copy(copy, database)
    return last_position(database)
