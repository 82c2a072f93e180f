"""The composition root: settings -> store -> application -> views -> channels -> jobs.

`bootstrap()` builds what one process runs on; the web app (`create_app`) and every
command of the CLI call it, and tests pass their own clock or channels instead of
wiring parts by hand. Call it after any fork: an application must never cross one.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path

from service.adapters.channels import Sender, senders_from
from service.adapters.secret_key import session_secret
from service.application import Regimen
from service.application.regimen import utc_now
from service.config import Settings
from service.domain.reminders import Channel
from service.domain.values import RECORDING_GRACE
from service.projections.held_claims import LEASE
from service.projections.locked import ViewDatabase
from service.projections.notice_outbox import NoticeOutbox
from service.projections.paging import Cursors
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.reminder_outbox import ReminderOutbox
from service.projections.reminder_planner import ReminderPlanner
from service.projections.schema_steps import create_if_fresh
from service.projections.waitlist_outbox import OfferOutbox
from service.projections.waitlist_queries import WaitlistQueries
from service.reminders.claim_links import ClaimLinker
from service.reminders.claims import RetryPolicy
from service.reminders.client_links import ClientPageLinker
from service.reminders.dispatch import BATCH, Dispatcher
from service.reminders.links import FeedLinker, link_key
from service.reminders.notices import NoticeDispatcher
from service.reminders.offer_dispatch import OfferDispatcher
from service.scheduler.jobs import Job

Clock = Callable[[], datetime]


@dataclass
class Wiring:
    """Everything one process runs on: settings, the application, its views, channels, clock."""

    settings: Settings
    regimen: Regimen
    clock: Clock
    given_senders: Mapping[Channel, Sender] | None = None

    @cached_property
    def reads(self) -> ReadModel:
        """The read models over this application's views (built when first needed)."""
        cursors = Cursors.from_secret(session_secret(self.settings))
        return ReadModel(Projector(self.regimen), cursors)

    @cached_property
    def senders(self) -> dict[Channel, Sender]:
        """The given channels, else the configured ones (built when first needed, so a
        malformed channel setting fails only the processes that send)."""
        if self.given_senders is not None:
            return dict(self.given_senders)
        return senders_from(self.settings)

    @cached_property
    def secret(self) -> str:
        """The server's secret key (read when first needed)."""
        return session_secret(self.settings)

    @cached_property
    def link_key(self) -> bytes:
        """The key of message links, from the server's secret (read when first needed)."""
        return link_key(self.secret)

    def client_page_linker(self) -> ClientPageLinker | None:
        """Signed links to clients' pages; None without REGIMEN_PUBLIC_URL to put them on."""
        if not self.settings.public_url:
            return None
        return ClientPageLinker(self.settings.public_url, self.secret)

    def feed_linker(self) -> FeedLinker | None:
        """Calendar links for clients' messages; None without REGIMEN_PUBLIC_URL to put them on."""
        if not self.settings.public_url:
            return None
        return FeedLinker(self.settings.public_url, self.link_key)

    def dispatcher(
        self,
        *,
        catch_up: bool = True,
        worker: str = "",
        policy: RetryPolicy | None = None,
        lease: timedelta = LEASE,
        batch: int = BATCH,
    ) -> Dispatcher:
        """A reminder dispatcher; each pass first catches the views up (unless told not to)."""
        projector = self.reads.projector
        database = ViewDatabase.of(projector.recorder)
        planner = ReminderPlanner(database)

        def refresh(now: datetime) -> None:
            if catch_up:
                projector.catch_up()
                planner.replan(now)

        return Dispatcher(
            outbox=ReminderOutbox(database, lease=lease),
            facts=self.regimen,
            senders=self.senders,
            refresh=refresh,
            worker=worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
            policy=policy,
            batch=batch,
            calendar_links=self.feed_linker(),
            client_links=self.client_page_linker(),
        )

    def notice_dispatcher(self, *, catch_up: bool = True, worker: str = "") -> NoticeDispatcher:
        """The dispatcher of notices to clients (bookings confirmed, changes by the clinic)."""
        projector = self.reads.projector

        def refresh(now: datetime) -> None:
            if catch_up:
                projector.catch_up()

        return NoticeDispatcher(
            outbox=NoticeOutbox(ViewDatabase.of(projector.recorder)),
            facts=self.regimen,
            senders=self.senders,
            refresh=refresh,
            worker=worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
            calendar_links=self.feed_linker(),
            client_links=self.client_page_linker(),
        )

    def waitlist(self) -> WaitlistQueries:
        """The waitlist's view, caught up to the end of the log."""
        return WaitlistQueries.of(self.reads.fresh())

    def offer_dispatcher(self, worker: str = "") -> OfferDispatcher:
        """Sends offers of freed times through the reminders' channels, with claim links."""
        linker = self.settings.public_url and ClaimLinker(self.settings.public_url, self.secret)
        return OfferDispatcher(
            outbox=OfferOutbox(ViewDatabase.of(self.reads.projector.recorder)),
            facts=self.regimen,
            senders=self.senders,
            links=linker or None,
            worker=worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
            refresh=lambda now: self.reads.fresh(),
        )

    def offer_waitlist(self, now: datetime) -> object:
        """Offer freed times to waiting clients, move lapsed offers on, send the offers."""
        done = self.regimen.run_waitlist(self.waitlist(), now)
        return done, self.offer_dispatcher().dispatch(now)

    def jobs(self) -> list[Job]:
        """The scheduler's jobs, fixed ids, each taking `now`; read models say where to look."""
        regimen, reads, horizon = self.regimen, self.reads, self.settings.booking_horizon_days

        def extend(now: datetime) -> int:
            return regimen.extend_rolling_series(now, horizon, reads.fresh().open_plan_ids())

        def flag(now: datetime) -> int:
            ended = reads.fresh().plans_with_sessions_ended_unrecorded(now - RECORDING_GRACE)
            return regimen.flag_unrecorded_sessions(now, ended)

        def warn(now: datetime) -> int:
            plan_ids = reads.fresh().open_plan_ids(with_authorization=True)
            return regimen.warn_expiring_authorizations(now, plan_ids)

        return [
            Job("extend-rolling-series", extend, every_seconds=3600),
            Job("flag-unrecorded-sessions", flag, every_seconds=300),
            Job("warn-expiring-authorizations", warn, every_seconds=3600),
            Job("dispatch-reminders", self.dispatcher().dispatch, every_seconds=60),
            Job("dispatch-notices", self.notice_dispatcher().dispatch, every_seconds=30),
            Job("offer-waitlist", self.offer_waitlist, every_seconds=30),
        ]

    def close(self) -> None:
        """Close the application's connections."""
        self.regimen.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    regimen: Regimen | None = None,
    clock: Clock = utc_now,
    senders: Mapping[Channel, Sender] | None = None,
) -> Wiring:
    """Wire one process: the configured channels and the wall clock unless others are given."""
    settings = settings or Settings.from_env()
    regimen = regimen or build_regimen(settings)
    return Wiring(settings=settings, regimen=regimen, clock=clock, given_senders=senders)


def build_regimen(settings: Settings, *, create_fresh: bool = True) -> Regimen:
    """The eventsourcing application on the configured database (build it after any fork).

    An empty database (a new file or schema, and always the in-memory store) is made
    current here, under the schema lock, so a first start and every test's new database
    need no step; a database holding an older schema is left alone, for `regimen db
    upgrade` (the long-running processes refuse it: service/projections/schema_steps.py).
    """
    regimen = Regimen(env=settings.eventsourcing_env())
    regimen.outbox_dir = Path(settings.outbox_dir)
    if create_fresh:
        try:
            create_if_fresh(regimen)
        except BaseException:
            regimen.close()
            raise
    return regimen
