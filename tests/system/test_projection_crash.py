"""A projection follower killed mid-catch-up resumes to views equal to a fresh rebuild."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from service.bootstrap import build_regimen
from service.cli.demo import seed_demo
from service.config import Settings
from service.domain.values import Actor, Role
from service.projections.projector import Projector
from tests.app.test_projections import dump

pytestmark = pytest.mark.system
CLI = Actor(user_id="cli", role=Role.ADMIN)


def kill_mid_catch_up(database_url: str) -> None:
    """Start a follower, let it commit some batches, and SIGKILL it inside the next one."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.system.projection_child", database_url, "130", "50"],
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"blocking"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdout:
            child.stdout.close()


def test_a_follower_killed_mid_batch_resumes_without_loss_or_duplicates(
    shared_database_url: str,
) -> None:
    database_url = shared_database_url
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        seed_demo(regimen, CLI, now=datetime(2026, 3, 2, tzinfo=UTC))
        projector = Projector(regimen, batch=50)
        kill_mid_catch_up(database_url)
        # Two whole batches of 50 were committed before the kill; the third was not.
        assert set(projector.positions().values()) == {100}
        projector.catch_up()
        resumed = dump(projector)
        assert len(resumed["rv_audit"]) == regimen.recorder.max_notification_id()
        projector.rebuild()
        assert dump(projector) == resumed
    finally:
        regimen.close()
