"""The reminder tests' story: Cora's series of four, her consent, and a capturing channel."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

from service.application import Regimen
from service.application.commands import SeriesBooking, Slot
from service.bootstrap import bootstrap
from service.config import Settings
from service.domain.clinic import CLINIC_ID, ClinicSettings
from service.domain.clinic import Clinic as ClinicAggregate
from service.domain.reminders import Channel, QuietHours, ReminderPreferences
from service.domain.values import SeriesSpec, TimeOff
from service.projections.projector import Projector
from service.projections.reminder_queries import ReminderQueries
from service.reminders.claims import RetryPolicy
from service.reminders.dispatch import Dispatcher
from service.scheduler.booking_policy import ConflictPolicy
from tests.builders import ADMIN, DESK, ZONE, Clinic, agreed_plan, small_clinic

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday; the series starts a week later
END = datetime(2026, 4, 1, tzinfo=UTC)  # after the last session
QUIET = QuietHours(start=time(21), end=time(8))
EMAIL_48_AND_2 = ReminderPreferences(
    consented_channels=(Channel.EMAIL,),
    leads=(timedelta(hours=48), timedelta(hours=2)),
    quiet_hours=QUIET,
)
# (session, lead in minutes, due in Cora's wall time, moved out of quiet hours)
EXPECTED = [
    (1, 2880, "2026-03-07T10:00", False),
    (1, 120, "2026-03-09T08:00", False),
    (2, 2880, "2026-03-14T10:00", False),
    (2, 120, "2026-03-16T08:00", False),
    (3, 2880, "2026-03-21T09:00", False),  # session 3 was shifted to 09:00
    (3, 120, "2026-03-22T21:00", True),  # 07:00 is in her quiet hours: the evening before
    (4, 2880, "2026-03-28T09:00", False),  # 48 real hours before 10:00 BST is 09:00 GMT
    (4, 120, "2026-03-30T08:00", False),
]


@dataclass(frozen=True)
class Series:
    """Cora's clinic and her plan of four weekly sessions."""

    clinic: Clinic
    plan_id: UUID


def book_series_of_four(regimen: Regimen, now: datetime = NOW) -> Series:
    """Cora consents to email 48 h and 2 h before, quiet 21:00-08:00; four Mondays at 10:00.

    Ada is away on 23 March from 10:00 to 11:00, so the series (shift policy) moves the
    third session to 09:00, the nearest free time that day.
    """
    clinic = small_clinic(regimen)
    regimen.set_reminder_preferences(clinic.client_id, EMAIL_48_AND_2, DESK)
    away = TimeOff(
        start=datetime(2026, 3, 23, 10, tzinfo=UTC),
        end=datetime(2026, 3, 23, 11, tzinfo=UTC),
        reason="training",
    )
    regimen.take_time_off(clinic.therapist_id, away, ADMIN)
    plan_id = agreed_plan(
        regimen, clinic, series=SeriesSpec(sessions=4, interval_days=7, session_minutes=60)
    )
    regimen.book_series(
        plan_id,
        SeriesBooking(Slot(datetime(2026, 3, 9, 10, 0), ZONE), ConflictPolicy.SHIFT),
        actor=DESK,
        now=now,
    )
    return Series(clinic, plan_id)


def schedule(regimen: Regimen, now: datetime, **filters: Any) -> list[dict[str, Any]]:
    """Every reminder row, caught up and planned as of `now`."""
    projector = Projector(regimen)
    projector.catch_up()
    return ReminderQueries(projector.recorder).fresh(now).schedule(limit=500, **filters).items


def expected_rows(rows: list[dict[str, Any]]) -> list[tuple[int, int, str, bool]]:
    """The rows in the shape of EXPECTED."""
    ordered = sorted(rows, key=lambda r: (r["number"], -r["lead_minutes"]))
    return [
        (r["number"], r["lead_minutes"], r["due_local"], bool(r["quiet_moved"])) for r in ordered
    ]


def dispatcher_with(
    regimen: Regimen,
    sender: Any,
    *,
    worker: str = "test",
    policy: RetryPolicy | None = None,
    refresh: bool = True,
    settings: Settings | None = None,
) -> Dispatcher:
    """The service's own dispatcher, sending both channels through `sender` (with calendar
    links only when `settings` give a public URL)."""
    senders = {Channel.EMAIL: sender, Channel.SMS: sender}
    wiring = bootstrap(settings or Settings(), regimen=regimen, senders=senders)
    return wiring.dispatcher(catch_up=refresh, worker=worker, policy=policy)


def hours_between(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    """Instants from start (inclusive) to end (exclusive), `step` apart."""
    moments = []
    while start < end:
        moments.append(start)
        start += step
    return moments


def run_together(*calls: Callable[[], object]) -> None:
    """Run the calls in threads released at the same instant; re-raise the first error."""
    gate = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        gate.wait()
        try:
            call()
        except BaseException as error:  # raised again in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def rename_clinic_below_the_guard(regimen: Regimen, name: str) -> None:
    """Give the clinic a name the domain refuses today, as one stored before the check was."""
    clinic = regimen.repository.get(CLINIC_ID)
    assert isinstance(clinic, ClinicAggregate)
    settings = ClinicSettings(**{f.name: getattr(clinic, f.name) for f in fields(ClinicSettings)})
    object.__setattr__(settings, "name", name)  # past the check ClinicSettings makes itself
    clinic.configure(settings, ADMIN)
    regimen.save(clinic)
