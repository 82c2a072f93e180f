"""PostgreSQL connections are checked after idleness, not with a round trip per checkout."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from service.adapters.postgres_pool import IDLE, CheckedAfterIdle
from service.application import Regimen
from service.application.commands import ClientDetails
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.client import Client
from tests.builders import DESK, ZONE
from tests.conftest import POSTGRES_URL


class Connection:
    """What the check sends: each statement, recorded."""

    def __init__(self) -> None:
        self.autocommit = True
        self.sent: list[str] = []

    def execute(self, sql: str) -> None:
        self.sent.append(sql)


class Ticks:
    """A monotonic clock that moves only when told (from the real one's reading now)."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now


def test_a_connection_used_lately_is_handed_out_without_a_round_trip() -> None:
    ticks, connection = Ticks(), Connection()
    check = CheckedAfterIdle(clock=ticks)

    check(connection)  # first handed out: just made
    ticks.now += IDLE
    check(connection)

    assert connection.sent == []


def test_a_connection_idle_for_longer_than_the_bound_is_checked_first() -> None:
    ticks, connection = Ticks(), Connection()
    check = CheckedAfterIdle(clock=ticks)
    check(connection)

    ticks.now += IDLE + 0.1
    check(connection)

    assert connection.sent == [""]


@pytest.fixture
def pg_regimen(postgres_url: str) -> Iterator[Regimen]:
    regimen = build_regimen(Settings(database_url=postgres_url))
    yield regimen
    regimen.close()


@pytest.mark.postgres
def test_a_connection_cut_while_idle_is_replaced_before_use(pg_regimen: Regimen) -> None:
    pool: Any = pg_regimen.recorder.datastore.pool  # type: ignore[attr-defined]
    check: CheckedAfterIdle = pool._check
    ticks = Ticks()
    check.clock = ticks
    client_id = pg_regimen.register_client(ClientDetails(name="Ida", zone=ZONE), actor=DESK)
    cut = next(iter(list(check.last_out))).info.backend_pid
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", (cut,))
    ticks.now += IDLE + 1

    # Every connection of the pool is handed out in turn, the cut one among them.
    names = [
        pg_regimen.load(Client, client_id).name for _ in range(pool.get_stats()["pool_size"] + 1)
    ]

    assert set(names) == {"Ida"}
    assert cut not in {c.info.backend_pid for c in list(check.last_out) if not c.closed}
