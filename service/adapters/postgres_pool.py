"""PostgreSQL connections checked when they may have gone stale, not at every checkout.

The library's `POSTGRES_PRE_PING` sends an empty statement each time a connection leaves
the pool: a round trip per read and per save, 7 to 12 of a booking's statements. A
connection the pool handed out a moment ago is almost surely alive; one that sat idle for
a while may have been cut (a server restart, a firewall's idle timeout). So a connection
is checked only when it left the pool last more than `IDLE` ago; a fresh one not at all.
A connection that dies between two close uses fails that one statement, which the
library's recorders retry on a new connection.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Any

from eventsourcing.postgres import ConnectionPool, PostgresDatastore

from service.adapters.pools import settings_of

IDLE = 30.0  # seconds unused after which a connection is checked before use
# The settings of the library's pool the replacement keeps; `configure` and `check` are set anew.
KEPT = (
    "conninfo",
    "connection_class",
    "kwargs",
    "min_size",
    "max_size",
    "name",
    "close_returns",
    "timeout",
    "max_waiting",
    "max_lifetime",
    "max_idle",
    "reconnect_timeout",
    "num_workers",
    "get_password_func",
)


class CheckedAfterIdle:
    """psycopg_pool's `check` callback: ping a connection only if it has been idle."""

    def __init__(self, idle: float = IDLE, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle = idle
        self.clock = clock
        self.last_out: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    def __call__(self, connection: Any) -> None:
        """Raise if a connection idle for longer than `idle` no longer answers."""
        now = self.clock()
        last = self.last_out.get(connection)
        self.last_out[connection] = now
        if last is not None and now - last > self.idle:
            ConnectionPool.check_connection(connection)


def check_after_idle(
    datastore: PostgresDatastore, check: CheckedAfterIdle | None = None
) -> CheckedAfterIdle:
    """Give the datastore a pool that checks connections after idleness, not at every
    checkout; returns the check.

    The library builds its pool itself, checking at every checkout or never, and offers no
    way to pass psycopg_pool's `check` callback. It builds it closed, so before it made any
    connection it is replaced by one alike in every setting but `check` (as the SQLite pool
    is, in service/adapters/sqlite_pool.py).
    """
    built = datastore.pool
    if not built.closed:
        raise RuntimeError("the PostgreSQL pool is already open; replace it before first use")
    check = check or CheckedAfterIdle()
    datastore.pool = ConnectionPool(
        open=False,
        configure=datastore.after_connect_func(),
        check=check,
        **settings_of(built, KEPT),
    )
    return check
