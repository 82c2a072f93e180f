"""Signed-in browser sessions of the web page, kept in the event store's database.

The browser's cookie holds only a random id; the table is keyed by its SHA-256, so
neither a copy of the database nor its backups can be replayed as a cookie. Every
server process reads the same rows, so signing out on one worker ends the session
on all of them, and a copied cookie stops working with it. A session ends after
30 minutes without the user doing anything, and 12 hours after signing in whatever
they do. Ended rows are deleted when they are next presented, and at every
sign-in (all of them), so the table holds about a day's sign-ins.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.adapters.kept_tables import KeptTable

TABLE = "regimen_browser_sessions"
IDLE_LIMIT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=12)  # a working day: sign in once a shift
TOUCH_EVERY = timedelta(minutes=1)  # activity is written at most this often per session

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_active_at BIGINT NOT NULL,
    data TEXT NOT NULL
)"""


@dataclass(frozen=True)
class BrowserSession:
    """A live session: whose it is, its CSRF token, when it began and was last used, and
    what else the page keeps in it until the next request (messages to show)."""

    user_id: str
    csrf_token: str
    created_at: datetime
    last_active_at: datetime
    data: str = ""

    @property
    def expires_at(self) -> datetime:
        """When the absolute limit ends it, however active it is."""
        return self.created_at + ABSOLUTE_LIMIT


def has_ended(created_at: datetime, last_active_at: datetime, now: datetime) -> bool:
    """Whether a session begun and last used at these instants is over at `now`."""
    return now - last_active_at >= IDLE_LIMIT or now - created_at >= ABSOLUTE_LIMIT


def new_session_id() -> str:
    """A fresh random session id for the cookie (256 bits)."""
    return secrets.token_urlsafe(32)


def id_hash(session_id: str) -> str:
    """What the table keeps instead of the id itself."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _instant(seconds: int, like: datetime) -> datetime:
    return datetime.fromtimestamp(seconds, like.tzinfo)


class BrowserSessions(KeptTable):
    """The signed-in sessions of every browser, in the event store's database."""

    create_statement = CREATE_TABLE

    def start(self, user_id: str, csrf_token: str, now: datetime, data: str = "") -> str:
        """Begin a session for the user; the id to give the browser. Clears ended sessions."""
        session_id = new_session_id()
        self.recorder.write(
            [
                self._delete_ended(now),
                (
                    f"INSERT INTO {TABLE} (id_hash, user_id, csrf_token, created_at,"
                    " last_active_at, data) VALUES (%s, %s, %s, %s, %s, %s)",
                    (id_hash(session_id), user_id, csrf_token, _seconds(now), _seconds(now), data),
                ),
            ],
            (),
        )
        return session_id

    def find(self, session_id: str, now: datetime) -> BrowserSession | None:
        """The live session of this id, or None (unknown, signed out or ended)."""
        rows = self.recorder.query(
            f"SELECT user_id, csrf_token, created_at, last_active_at, data FROM {TABLE}"
            " WHERE id_hash = %s",
            (id_hash(session_id),),
        )
        if not rows:
            return None
        row = rows[0]
        found = BrowserSession(
            user_id=row["user_id"],
            csrf_token=row["csrf_token"],
            created_at=_instant(row["created_at"], now),
            last_active_at=_instant(row["last_active_at"], now),
            data=row["data"],
        )
        if has_ended(found.created_at, found.last_active_at, now):
            self.end(session_id)
            return None
        return found

    def touch(self, session_id: str, found: BrowserSession, now: datetime) -> None:
        """Record that the user did something now (written at most once a minute)."""
        if now - found.last_active_at < TOUCH_EVERY:
            return
        self.recorder.write(
            [
                (
                    f"UPDATE {TABLE} SET last_active_at = %s WHERE id_hash = %s",
                    (_seconds(now), id_hash(session_id)),
                )
            ],
            (),
        )

    def keep_data(self, session_id: str, data: str) -> None:
        """Replace what the page keeps in the session besides the user and the token."""
        self.recorder.write(
            [(f"UPDATE {TABLE} SET data = %s WHERE id_hash = %s", (data, id_hash(session_id)))],
            (),
        )

    def end(self, session_id: str) -> None:
        """Forget the session: its cookie, and every copy of it, no longer signs in."""
        self.recorder.write(
            [(f"DELETE FROM {TABLE} WHERE id_hash = %s", (id_hash(session_id),))], ()
        )

    def delete_ended(self, now: datetime) -> None:
        """Delete every session that has ended by `now`."""
        self.recorder.write([self._delete_ended(now)], ())

    def _delete_ended(self, now: datetime) -> tuple[str, tuple[int, int]]:
        return (
            f"DELETE FROM {TABLE} WHERE last_active_at <= %s OR created_at <= %s",
            (_seconds(now - IDLE_LIMIT), _seconds(now - ABSOLUTE_LIMIT)),
        )
