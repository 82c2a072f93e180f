"""Leader locks: one holder at a time, freed on release or when the holder's connection dies."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from service.adapters.leader import (
    FileLeaderLock,
    InProcessLeaderLock,
    LeaderLock,
    PostgresLeaderLock,
    advisory_key,
    leader_lock_for,
    postgres_conninfo,
)
from service.config import Settings

TAKEOVER_TIMEOUT_S = 30  # a deadline for a loaded machine, not a measurement


@pytest.fixture
def release_afterwards() -> Iterator[list[LeaderLock]]:
    """Locks a test registers here are released at its end, whatever happens."""
    locks: list[LeaderLock] = []
    yield locks
    for lock in locks:
        lock.release()


@pytest.fixture
def file_lock(tmp_path: Path, release_afterwards: list[LeaderLock]) -> Callable[[], FileLeaderLock]:
    """Makes file locks on one path, each released at the test's end."""

    def make() -> FileLeaderLock:
        lock = FileLeaderLock(tmp_path / "scheduler.lock")
        release_afterwards.append(lock)
        return lock

    return make


@pytest.fixture
def postgres_lock(
    postgres_url: str, release_afterwards: list[LeaderLock]
) -> Callable[[str], LeaderLock]:
    """Makes leader locks on the test database (or another schema of it, by a suffix),
    each released at the test's end."""

    def make(schema_suffix: str = "") -> LeaderLock:
        lock = leader_lock_for(Settings(database_url=postgres_url + schema_suffix))
        release_afterwards.append(lock)
        return lock

    return make


def test_only_one_of_two_file_locks_on_the_same_path_is_acquired(
    file_lock: Callable[[], FileLeaderLock],
) -> None:
    first, second = file_lock(), file_lock()

    assert first.try_acquire() is True
    assert second.try_acquire() is False
    assert (first.held, second.held) == (True, False)


def test_a_held_file_lock_is_confirmed_on_the_next_try(
    file_lock: Callable[[], FileLeaderLock],
) -> None:
    lock = file_lock()

    assert lock.try_acquire() is True
    assert lock.try_acquire() is True
    assert lock.held


def test_releasing_a_file_lock_lets_the_other_acquire_it(
    file_lock: Callable[[], FileLeaderLock],
) -> None:
    first, second = file_lock(), file_lock()
    assert first.try_acquire()

    first.release()

    assert not first.held
    assert second.try_acquire() is True
    assert first.try_acquire() is False


def test_the_file_lock_records_the_leaders_pid_for_operators(
    tmp_path: Path, file_lock: Callable[[], FileLeaderLock]
) -> None:
    lock = file_lock()
    lock.try_acquire()

    assert (tmp_path / "scheduler.lock").read_text() == f"{os.getpid()}\n"


def test_a_removed_lock_file_counts_as_lost_leadership(
    tmp_path: Path, file_lock: Callable[[], FileLeaderLock]
) -> None:
    # Otherwise a newcomer would lock a fresh file at the same path and two would lead.
    lock = file_lock()
    lock.try_acquire()

    (tmp_path / "scheduler.lock").unlink()

    assert lock.try_acquire() is False
    assert not lock.held


def test_sqlite_elects_with_a_lock_file_next_to_the_database(tmp_path: Path) -> None:
    lock = leader_lock_for(Settings(database_url=f"sqlite:///{tmp_path / 'regimen.db'}"))

    assert isinstance(lock, FileLeaderLock)
    assert lock.path == tmp_path / "regimen.db.scheduler.lock"


def test_an_in_memory_database_always_elects_this_process() -> None:
    for url in ("memory://", "sqlite:///:memory:"):
        lock = leader_lock_for(Settings(database_url=url))
        assert isinstance(lock, InProcessLeaderLock)
        assert lock.try_acquire() is True
        lock.release()
        assert not lock.held


def test_postgresql_conninfo_drops_the_schema_but_keeps_the_rest() -> None:
    conninfo = postgres_conninfo(
        "postgresql://ann:p%40ss@db.local:6543/clinic?schema=s1&sslmode=require"
    )

    params = conninfo_to_dict(conninfo)
    assert "schema" not in params
    assert params["host"] == "db.local"
    assert params["port"] == "6543"
    assert params["dbname"] == "clinic"
    assert params["user"] == "ann"
    assert params["password"] == "p@ss"
    assert params["sslmode"] == "require"
    assert params["application_name"] == "regimen-scheduler"


def test_two_schemas_of_one_database_elect_separately() -> None:
    base = "postgresql://postgres@127.0.0.1:5432/clinic"
    one = leader_lock_for(Settings(database_url=f"{base}?schema=one"))
    two = leader_lock_for(Settings(database_url=f"{base}?schema=two"))
    again = leader_lock_for(Settings(database_url=f"{base}?schema=one"))

    assert isinstance(one, PostgresLeaderLock)
    assert isinstance(two, PostgresLeaderLock)
    assert isinstance(again, PostgresLeaderLock)
    assert one.key != two.key
    assert one.key == again.key == advisory_key("one")


def test_no_schema_and_the_public_schema_share_a_leader() -> None:
    assert advisory_key("") == advisory_key("public")


def test_advisory_keys_fit_postgresqls_bigint() -> None:
    for schema in ("", "public", "t_0123456789ab", "a" * 63):
        assert -(2**63) <= advisory_key(schema) < 2**63


def terminate_holder(postgres_url: str, key: int) -> None:
    """Kill the server session holding the advisory lock `key`, as a crash would."""
    classid, objid = (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF
    with psycopg.connect(postgres_conninfo(postgres_url), autocommit=True) as conn:
        terminated = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks"
            " WHERE locktype = 'advisory' AND granted AND objsubid = 1"
            " AND classid::bigint = %s AND objid::bigint = %s",
            (classid, objid),
        ).fetchall()
    assert terminated == [(True,)]


def acquire_within(lock: PostgresLeaderLock, timeout_s: float) -> bool:
    """Try the lock until it is acquired or the time is up."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if lock.try_acquire():
            return True
        time.sleep(0.05)  # polling the lock; its answer is the synchronisation
    return False


@pytest.mark.postgres
def test_only_one_of_two_advisory_locks_with_one_key_is_acquired(
    postgres_lock: Callable[[str], LeaderLock],
) -> None:
    first, second = postgres_lock(""), postgres_lock("")

    assert first.try_acquire() is True
    assert second.try_acquire() is False
    assert first.try_acquire() is True  # confirming does not stack a second lock

    first.release()

    assert second.try_acquire() is True
    assert first.try_acquire() is False


@pytest.mark.postgres
def test_other_schemas_of_the_database_elect_their_own_leader(
    postgres_lock: Callable[[str], LeaderLock],
) -> None:
    here, elsewhere = postgres_lock(""), postgres_lock("_other")

    assert here.try_acquire() is True
    assert elsewhere.try_acquire() is True


@pytest.mark.postgres
def test_when_the_leaders_connection_dies_the_other_takes_over(
    postgres_url: str, postgres_lock: Callable[[str], LeaderLock]
) -> None:
    leader, standby = postgres_lock(""), postgres_lock("")
    assert isinstance(leader, PostgresLeaderLock)
    assert isinstance(standby, PostgresLeaderLock)
    assert leader.try_acquire()
    assert not standby.try_acquire()

    # The server ends the leader's session, as it does when the leader's process dies.
    terminate_holder(postgres_url, leader.key)

    assert acquire_within(standby, TAKEOVER_TIMEOUT_S)
    # The old leader learns at its next try that it lost, then reconnects as a standby.
    assert leader.try_acquire() is False
    assert not leader.held
    assert leader.try_acquire() is False
    standby.release()
    assert leader.try_acquire() is True
