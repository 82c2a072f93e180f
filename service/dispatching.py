"""The reminder dispatcher, composed from the application, the views and the channels."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from service.application import Regimen
from service.config import Settings
from service.projections.locked import ViewDatabase
from service.projections.projector import Projector
from service.projections.reminder_outbox import LEASE, ReminderOutbox
from service.projections.reminder_planner import ReminderPlanner
from service.reminders.channels import senders_from
from service.reminders.claims import RetryPolicy
from service.reminders.dispatch import BATCH, Dispatcher


def reminder_dispatcher(
    regimen: Regimen,
    settings: Settings,
    *,
    worker: str = "",
    policy: RetryPolicy | None = None,
    lease: timedelta = LEASE,
    batch: int = BATCH,
) -> Dispatcher:
    """A dispatcher over this process's application; each pass first catches the views up."""
    projector = Projector(regimen)
    database = ViewDatabase.of(projector.recorder)
    planner = ReminderPlanner(database)

    def refresh(now: datetime) -> None:
        projector.catch_up()
        planner.replan(now)

    return Dispatcher(
        outbox=ReminderOutbox(database, lease=lease),
        facts=regimen,
        senders=senders_from(settings),
        refresh=refresh,
        worker=worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
        policy=policy,
        batch=batch,
    )
