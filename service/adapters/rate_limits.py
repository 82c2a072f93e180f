"""Request counts per key and minute, kept in the event store's database for every process.

A fixed window: one row per key and window start, raised by one upsert, so two processes
counting the same key never lose a hit; the count read after it includes any hit made at
the same moment (which errs towards refusing). Rows of windows that ended a day ago are
deleted now and then by whoever counts. Keys are hashed: an address or a
client id never sits in the table in clear.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.adapters.kept_tables import KeptTable

TABLE = "regimen_rate_limits"
CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    key_hash TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (key_hash, window_start)
)"""
HIT = (
    f"INSERT INTO {TABLE} (key_hash, window_start, hits) VALUES (%s, %s, 1)"
    f" ON CONFLICT (key_hash, window_start) DO UPDATE SET hits = {TABLE}.hits + 1"
)
CLEAR_EVERY = 97  # one count in so many also deletes the windows that ended a day ago


@dataclass(frozen=True)
class Limit:
    """At most `hits` requests per `window`."""

    hits: int
    window: timedelta = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _window_start(limit: Limit, now: datetime) -> int:
    seconds = int(limit.window.total_seconds())
    return int(now.timestamp()) // seconds * seconds


class RateLimits(KeptTable):
    """Counts shared by every server process."""

    create_statement = CREATE_TABLE

    def exceeded(self, key: str, limit: Limit, now: datetime) -> bool:
        """Whether `key` has used up its limit in the window of `now` (counts nothing)."""
        rows = self.recorder.query(
            f"SELECT hits FROM {TABLE} WHERE key_hash = %s AND window_start = %s",
            (_hash(key), _window_start(limit, now)),
        )
        return bool(rows) and int(rows[0]["hits"]) >= limit.hits

    def allow(self, key: str, limit: Limit, now: datetime) -> bool:
        """Count one request for `key` at `now`; whether it is within the limit."""
        start = _window_start(limit, now)
        key_hash = _hash(key)
        statements: list[tuple[str, tuple[object, ...]]] = [(HIT, (key_hash, start))]
        if int(key_hash, 16) % CLEAR_EVERY == start % CLEAR_EVERY:
            statements.append((f"DELETE FROM {TABLE} WHERE window_start < %s", (start - 86400,)))
        self.recorder.write(statements, ())
        rows = self.recorder.query(
            f"SELECT hits FROM {TABLE} WHERE key_hash = %s AND window_start = %s",
            (key_hash, start),
        )
        return bool(rows) and int(rows[0]["hits"]) <= limit.hits
