"""Kill the leading scheduler while it sends reminders: the standby finishes, none is lost."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from service.application.commands import ClientDetails, Slot
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.reminders import Channel, ReminderPreferences
from tests.builders import DESK, ZONE, agreed_plan, small_clinic
from tests.system.conftest import free_port

pytestmark = pytest.mark.system
PLANS = 12
BOOKED_AT = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
# Every reminder falls due at 07:00Z on Saturday 28 March; the children's clocks start
# three seconds before, so the reminders are planned first and fall due while they run.
DUE = datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
CLOCK_STARTS = DUE - timedelta(seconds=3)
DEADLINE_S = 60


class SlowInbox:
    """An SMTP server that takes a while over each message, so a kill lands mid-pass."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(0.15)
        self.message_ids.append(message_from_bytes(envelope.content)["Message-ID"])
        return "250 Message accepted for delivery"


def book_due_reminders(database_url: str) -> None:
    """Twelve clients' sessions on Monday 30 March, hourly from 08:00 BST, each client with
    one email reminder timed (48 h + i h before) so that all of them fall due at DUE."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        clinic = small_clinic(regimen)
        for index in range(PLANS):
            lead = ReminderPreferences(
                consented_channels=(Channel.EMAIL,),
                leads=(timedelta(hours=48 + index),),
                quiet_hours=None,
            )
            client_id = regimen.register_client(
                ClientDetails(
                    name=f"Client {index}",
                    email=f"c{index}@example.org",
                    zone=ZONE,
                ),
                actor=DESK,
            )
            regimen.set_reminder_preferences(client_id, lead, DESK)
            plan_id = agreed_plan(regimen, clinic, client_id=client_id, room_id=None)
            regimen.book_session(
                plan_id,
                Slot(local_start=datetime(2026, 3, 30, 8 + index, 0), zone=ZONE),
                actor=DESK,
                now=BOOKED_AT,
            )
    finally:
        regimen.close()


def leader_pid(lock_path: str) -> int | None:
    """The pid the file lock records for its holder."""
    try:
        text = Path(lock_path).read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None


def wait_for(condition: Any, what: str) -> None:
    """Poll until the condition holds, failing after the deadline."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_killing_the_leader_mid_pass_loses_no_reminder(sqlite_url: str) -> None:
    book_due_reminders(sqlite_url)
    inbox = SlowInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    command = [
        sys.executable,
        "-m",
        "tests.system.reminder_scheduler_child",
        sqlite_url,
        f"smtp://127.0.0.1:{port}",
        CLOCK_STARTS.isoformat(),
    ]
    children = [subprocess.Popen(command) for _ in range(2)]
    lock_path = sqlite_url.removeprefix("sqlite:///") + ".scheduler.lock"
    try:
        wait_for(lambda: len(inbox.message_ids) >= 3, "the first reminders")
        leader = leader_pid(lock_path)
        assert leader in {child.pid for child in children}
        os.kill(leader, signal.SIGKILL)
        wait_for(lambda: len(set(inbox.message_ids)) >= PLANS, "every reminder")
        # Let the survivor run one more pass: nothing further may arrive.
        survivor = next(child for child in children if child.pid != leader)
        assert survivor.poll() is None
        arrived = len(inbox.message_ids)
        wait_for(lambda: leader_pid(lock_path) == survivor.pid, "the survivor to lead")
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
            child.wait(timeout=30)
        controller.stop()
    counts = Counter(inbox.message_ids)
    assert len(counts) == PLANS
    # Exactly once, except that the one message in flight when the leader died may have
    # reached the server without being marked sent: it is re-sent with the same Message-ID.
    assert sum(n - 1 for n in counts.values()) <= 1, counts
    assert len(inbox.message_ids) == arrived
