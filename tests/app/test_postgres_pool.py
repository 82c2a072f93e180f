"""PostgreSQL connections are checked after idleness, not with a round trip per checkout."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from eventsourcing.postgres import PostgresDatastore

from service.adapters import store
from service.adapters.postgres_pool import IDLE, CheckedAfterIdle, check_after_idle
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


def settings(pool: Any) -> dict[str, object]:
    """A pool's settings, as psycopg_pool shows them."""
    names = ("conninfo", "kwargs", "connection_class", "min_size", "max_size", "name")
    more = ("close_returns", "timeout", "max_waiting", "max_lifetime", "max_idle")
    rest = ("reconnect_timeout", "num_workers", "get_password_func", "closed")
    return {name: getattr(pool, name) for name in (*names, *more, *rest)}


def test_the_pool_is_replaced_by_one_alike_in_every_setting_but_its_check() -> None:
    datastore = PostgresDatastore(
        "regimen",
        "db.invalid",
        5432,
        "desk",
        "secret",
        connect_timeout=7.0,
        pool_size=3,
        max_overflow=2,
        max_waiting=4,
        conn_max_age=600.0,
        get_password_func=lambda: "rotated",
    )
    built = datastore.pool

    check_after_idle(datastore)

    assert datastore.pool is not built
    assert settings(datastore.pool) == settings(built)


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def check(ticks: Ticks) -> CheckedAfterIdle:
    return CheckedAfterIdle(clock=ticks)


@pytest.fixture
def pg_regimen(
    postgres_url: str, check: CheckedAfterIdle, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Regimen]:
    """A regimen on PostgreSQL whose pool checks connections with `check`."""
    monkeypatch.setattr(store, "check_after_idle", lambda ds: check_after_idle(ds, check))
    regimen = build_regimen(Settings(database_url=postgres_url))
    yield regimen
    regimen.close()


@pytest.mark.postgres
def test_a_connection_cut_while_idle_is_replaced_before_use(
    pg_regimen: Regimen, check: CheckedAfterIdle, ticks: Ticks
) -> None:
    datastore: Any = pg_regimen.recorder.datastore  # type: ignore[attr-defined]
    client_id = pg_regimen.register_client(ClientDetails(name="Ida", zone=ZONE), actor=DESK)
    cut = next(iter(list(check.last_out))).info.backend_pid
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", (cut,))
    ticks.now += IDLE + 1

    # Every connection of the pool is handed out in turn, the cut one among them.
    size = datastore.pool.get_stats()["pool_size"]
    names = [pg_regimen.load(Client, client_id).name for _ in range(size + 1)]

    assert set(names) == {"Ida"}
    assert cut not in {c.info.backend_pid for c in list(check.last_out) if not c.closed}


@pytest.mark.postgres
def test_a_pool_already_in_use_is_not_replaced(pg_regimen: Regimen) -> None:
    datastore: Any = pg_regimen.recorder.datastore  # type: ignore[attr-defined]
    in_use = datastore.pool

    with pytest.raises(RuntimeError, match="already open"):
        check_after_idle(datastore)

    assert datastore.pool is in_use
