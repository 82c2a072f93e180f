"""Two scheduler processes on one database: one leads; when it is killed, the other takes over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Deadlines, not measurements: each only bounds how long a loaded machine may take.
START_TIMEOUT_S = 90
TAKEOVER_TIMEOUT_S = 30  # the lock is free at the kill; the standby polls it every 0.2 s
STOP_TIMEOUT_S = 30

T = TypeVar("T")


@dataclass
class Scheduler:
    """A running `scheduler_child` process and its log."""

    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


@dataclass(frozen=True)
class Beat:
    """One line of the heartbeat file: which process ran the job, for which `now`."""

    pid: int
    now: datetime


def read_beats(path: Path) -> list[Beat]:
    """Every complete line of the heartbeat file."""
    if not path.exists():
        return []
    lines = [line for line in path.read_text().split("\n")[:-1] if line]
    return [Beat(int(pid), datetime.fromisoformat(now)) for pid, now in map(str.split, lines)]


def wait_for(probe: Callable[[], T | None], timeout_s: float, what: str) -> T:
    """Poll `probe` until it answers something truthy; fail after the timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        answer = probe()
        if answer:
            return answer
        time.sleep(0.05)  # polling the heartbeat file; its content is the synchronisation
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


@pytest.fixture
def start_scheduler(tmp_path: Path) -> Iterator[Callable[[str, Path], Scheduler]]:
    """Start scheduler processes on demand; all are killed after the test."""
    started: list[Scheduler] = []

    def start(database_url: str, heartbeat: Path) -> Scheduler:
        log = tmp_path / f"scheduler-{len(started)}.log"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "tests.system.scheduler_child", database_url]
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*command, str(heartbeat)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        started.append(Scheduler(process, log))
        return started[-1]

    yield start
    for scheduler in started:
        if scheduler.process.poll() is None:
            scheduler.process.kill()
        scheduler.process.wait()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for the schedulers to share (no tables needed: only the lock is used)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'regimen.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.mark.system
def test_the_standby_takes_over_within_seconds_when_the_leader_is_killed(
    start_scheduler: Callable[[str, Path], Scheduler], database_url: str, tmp_path: Path
) -> None:
    heartbeat = tmp_path / "heartbeat.txt"
    first = start_scheduler(database_url, heartbeat)
    second = start_scheduler(database_url, heartbeat)

    # Both are up; exactly one of them runs the job.
    wait_for(lambda: len(read_beats(heartbeat)) >= 3, START_TIMEOUT_S, "the first heartbeats")
    leaders = {beat.pid for beat in read_beats(heartbeat)}
    assert len(leaders) == 1
    leader, standby = (first, second) if leaders == {first.pid} else (second, first)
    assert leaders == {leader.pid}
    wait_for(
        lambda: "scheduler: standing by" in standby.log.read_text(), START_TIMEOUT_S, "the standby"
    )

    # The leader dies without a chance to release anything.
    killing_at = datetime.now(UTC)
    leader.process.send_signal(signal.SIGKILL)
    leader.process.wait()
    dead_at = datetime.now(UTC)

    def standby_beats() -> list[Beat]:
        return [beat for beat in read_beats(heartbeat) if beat.pid == standby.pid]

    first_takeover = wait_for(standby_beats, TAKEOVER_TIMEOUT_S, "the standby to take over")[0]
    assert (first_takeover.now - dead_at).total_seconds() < TAKEOVER_TIMEOUT_S
    wait_for(lambda: len(standby_beats()) >= 3, START_TIMEOUT_S, "the new leader's heartbeats")

    # Never two leaders: the old one beat only before the kill, the new one only after it.
    beats = read_beats(heartbeat)
    assert {beat.pid for beat in beats} == {leader.pid, standby.pid}
    old = [beat.now for beat in beats if beat.pid == leader.pid]
    new = [beat.now for beat in beats if beat.pid == standby.pid]
    assert max(old) <= dead_at
    assert min(new) >= killing_at
    assert max(old) < min(new)
    assert {beat.pid for beat in beats if beat.now > dead_at} == {standby.pid}

    # The survivor stops cleanly on SIGTERM.
    standby.process.terminate()
    assert standby.process.wait(STOP_TIMEOUT_S) == 0
    log = standby.log.read_text()
    assert "scheduler: leader for" in log
    assert "SIGTERM received, stopping" in log
