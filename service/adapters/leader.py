"""Leader election: one scheduler per database, chosen by a lock the OS or the server frees."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from service.config import Settings

log = logging.getLogger(__name__)

SCHEDULER_LOCK_NAMESPACE = "regimen.scheduler"
CONNECTION_DEFAULTS = {
    "application_name": "regimen-scheduler",
    "connect_timeout": "5",
    # A leader whose network vanished must notice within seconds, not at the kernel's TCP timeout.
    "keepalives": "1",
    "keepalives_idle": "5",
    "keepalives_interval": "2",
    "keepalives_count": "3",
}


class LeaderLock(Protocol):
    """A lock at most one process holds; the holder's death frees it."""

    def try_acquire(self) -> bool:
        """Take or confirm the lock; False when another process holds it or it was lost."""
        ...

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        ...

    @property
    def held(self) -> bool:
        """Whether this lock was held at the last try (no I/O)."""
        ...


class InProcessLeaderLock:
    """The lock for an in-memory database, which only this process can see: always acquired."""

    def __init__(self) -> None:
        self._held = False

    def try_acquire(self) -> bool:
        """Always succeeds."""
        self._held = True
        return True

    def release(self) -> None:
        """Forget the lock."""
        self._held = False

    @property
    def held(self) -> bool:
        """Whether try_acquire was called since the last release."""
        return self._held

    def __str__(self) -> str:
        return "the in-memory database"


class FileLeaderLock:
    """An exclusive `flock` on a lock file; the kernel frees it when the process dies."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        """Lock the file without waiting; confirm the lock if already held."""
        if self._fd is not None:
            if self._still_locks_path(self._fd):
                return True
            log.warning("scheduler: lock file %s was removed or replaced", self.path)
            self.release()
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        # Someone may have replaced the file between our open and our flock.
        if not self._still_locks_path(fd):
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        """Unlock by closing the file (the file itself stays, for the next leader)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def _still_locks_path(self, fd: int) -> bool:
        try:
            on_disk = self.path.stat()
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)

    def __str__(self) -> str:
        return f"lock file {self.path}"


class PostgresLeaderLock:
    """A session-level `pg_try_advisory_lock` on a dedicated autocommit connection."""

    def __init__(self, conninfo: str, key: int) -> None:
        self.key = key
        self._conninfo = conninfo
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None
        self._held = False

    def try_acquire(self) -> bool:
        """Take the advisory lock; when held, check the connection (a lost one lost the lock)."""
        if self._held:
            if self._answers():
                return True
            log.warning("scheduler: lost the connection holding advisory lock %s", self.key)
            self._disconnect()
            return False
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self._conninfo, autocommit=True)
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        except psycopg.Error as error:
            log.warning("scheduler: cannot try advisory lock %s: %s", self.key, error)
            self._disconnect()
            return False
        self._held = bool(row and row[0])
        return self._held

    def release(self) -> None:
        """Unlock and close the connection (closing alone would free the lock too)."""
        if self._conn is not None and self._held:
            try:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
            except psycopg.Error as error:
                log.warning("scheduler: cannot unlock advisory lock %s: %s", self.key, error)
        self._disconnect()

    @property
    def held(self) -> bool:
        """Whether the lock was held at the last try."""
        return self._held

    def _answers(self) -> bool:
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def _disconnect(self) -> None:
        self._held = False
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def __str__(self) -> str:
        params = conninfo_to_dict(self._conninfo)
        where = f"{params.get('host', 'localhost')}:{params.get('port', 5432)}"
        return f"advisory lock {self.key} on {where}/{params.get('dbname', '')}"


def advisory_key(schema: str) -> int:
    """The scheduler's advisory lock key for a schema: one leader per schema of a database."""
    # eventsourcing's default schema is the search path's, in practice "public": the same tables.
    digest = hashlib.blake2b(
        f"{SCHEDULER_LOCK_NAMESPACE}/{schema or 'public'}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


def postgres_conninfo(database_url: str) -> str:
    """A libpq connection string from a Regimen URL: without `schema`, with scheduler defaults."""
    url = urlsplit(database_url)
    query = [(name, value) for name, value in parse_qsl(url.query) if name != "schema"]
    params = conninfo_to_dict(urlunsplit(url._replace(scheme="postgresql", query=urlencode(query))))
    return make_conninfo("", **{**CONNECTION_DEFAULTS, **params})


def leader_lock_for(settings: Settings) -> LeaderLock:
    """The lock that elects one scheduler among all processes sharing this database."""
    backend = settings.backend
    env = settings.eventsourcing_env()
    if backend == "postgresql":
        key = advisory_key(env["POSTGRES_SCHEMA"])
        return PostgresLeaderLock(postgres_conninfo(settings.database_url), key)
    if backend == "sqlite" and env["SQLITE_DBNAME"] != ":memory:":
        return FileLeaderLock(f"{env['SQLITE_DBNAME']}.scheduler.lock")
    return InProcessLeaderLock()
