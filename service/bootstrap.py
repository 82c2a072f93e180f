"""The composition root: settings -> application -> views -> channels -> the reminder dispatcher."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta

from service.adapters.channels import Sender, senders_from
from service.application import Regimen
from service.application.housekeeping import UNRECORDED_GRACE
from service.config import Settings
from service.domain.reminders import Channel
from service.projections.locked import ViewDatabase
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.reminder_outbox import LEASE, ReminderOutbox
from service.projections.reminder_planner import ReminderPlanner
from service.reminders.claims import RetryPolicy
from service.reminders.dispatch import BATCH, Dispatcher
from service.scheduler.jobs import Job


def reminder_dispatcher(
    regimen: Regimen,
    settings: Settings,
    *,
    senders: Mapping[Channel, Sender] | None = None,
    catch_up: bool = True,
    worker: str = "",
    policy: RetryPolicy | None = None,
    lease: timedelta = LEASE,
    batch: int = BATCH,
) -> Dispatcher:
    """A dispatcher over this process's application; each pass first catches the views up
    (unless told not to). The channels are the configured ones unless `senders` are given."""
    projector = Projector(regimen)
    database = ViewDatabase.of(projector.recorder)
    planner = ReminderPlanner(database)

    def refresh(now: datetime) -> None:
        if catch_up:
            projector.catch_up()
            planner.replan(now)

    return Dispatcher(
        outbox=ReminderOutbox(database, lease=lease),
        facts=regimen,
        senders=dict(senders) if senders is not None else senders_from(settings),
        refresh=refresh,
        worker=worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
        policy=policy,
        batch=batch,
    )


def build_regimen(settings: Settings) -> Regimen:
    """The eventsourcing application on the configured database (build it after any fork)."""
    return Regimen(env=settings.eventsourcing_env())


def scheduler_jobs(regimen: Regimen, settings: Settings) -> list[Job]:
    """The scheduler's jobs, with fixed ids, each taking `now`; read models say where to look."""
    reads = ReadModel(Projector(regimen))
    dispatcher = reminder_dispatcher(regimen, settings)

    def extend(now: datetime) -> int:
        plan_ids = reads.fresh().open_plan_ids()
        return regimen.extend_rolling_series(now, settings.booking_horizon_days, plan_ids)

    def flag(now: datetime) -> int:
        ended = now - UNRECORDED_GRACE
        return regimen.flag_unrecorded_sessions(
            now, reads.fresh().plans_with_sessions_ended_unrecorded(ended)
        )

    def warn(now: datetime) -> int:
        plan_ids = reads.fresh().open_plan_ids(with_authorization=True)
        return regimen.warn_expiring_authorizations(now, plan_ids)

    return [
        Job("extend-rolling-series", extend, every_seconds=3600),
        Job("flag-unrecorded-sessions", flag, every_seconds=300),
        Job("warn-expiring-authorizations", warn, every_seconds=3600),
        Job("dispatch-reminders", dispatcher.dispatch, every_seconds=60),
    ]
