"""Dispatching the outbox: exactly once beside another dispatcher, retries, giving up."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from functools import partial
from pathlib import Path
from uuid import UUID

import pytest

from service.adapters.channels import DeliveryFailed, FileOutbox, Outgoing
from service.application import Regimen
from service.application.commands import Slot
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.reminders import NO_REMINDERS, Channel
from service.domain.values import SessionStatus
from service.reminders.claims import RetryPolicy
from service.reminders.messages import CalendarLinks
from tests.builders import DESK, ZONE
from tests.fakes import CapturingSender
from tests.reminder_scenario import (
    END,
    EXPECTED,
    NOW,
    Series,
    book_series_of_four,
    dispatcher_with,
    hours_between,
    rename_clinic_below_the_guard,
    run_together,
    schedule,
)

QUICK = RetryPolicy(
    first_delay=timedelta(minutes=1), max_delay=timedelta(minutes=4), max_attempts=4
)
FIRST_DUE = datetime(2026, 3, 7, 10, tzinfo=UTC)  # session 1's 48 h reminder
SESSION_1_DUE = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)  # both of session 1's reminders


@pytest.fixture
def planned_series(regimen: Regimen) -> Series:
    """A series of four sessions booked, with their reminders planned."""
    series = book_series_of_four(regimen)
    schedule(regimen, NOW)
    return series


@pytest.fixture
def other_process(settings: Settings, regimen: Regimen) -> Iterator[Regimen]:
    """A second application on the same database, as another process would have."""
    if settings.backend == "memory":
        yield regimen  # an in-memory store is visible to its own object only
        return
    other = build_regimen(settings)
    yield other
    other.close()


def test_two_dispatchers_at_once_send_each_due_reminder_once(
    regimen: Regimen, other_process: Regimen
) -> None:
    book_series_of_four(regimen)
    sender = CapturingSender()
    dispatchers = [
        dispatcher_with(regimen, sender, worker="a"),
        dispatcher_with(other_process, sender, worker="b"),
    ]
    for moment in hours_between(NOW, END, timedelta(hours=6)):
        first, second = (partial(d.dispatch, moment) for d in dispatchers)
        run_together(first, second)
    keys = [o.key for o in sender.sent]
    assert len(keys) == len(EXPECTED) == len(set(keys))


def test_a_transient_failure_is_retried_with_backoff_and_delivered_later(
    regimen: Regimen, planned_series: Series
) -> None:
    relay_up = threading.Event()
    sender = CapturingSender(down=lambda: not relay_up.is_set())
    dispatcher = dispatcher_with(regimen, sender, policy=QUICK)
    assert dispatcher.dispatch(FIRST_DUE).retried == 1
    assert dispatcher.dispatch(FIRST_DUE + timedelta(seconds=30)).retried == 0  # backing off
    assert dispatcher.dispatch(FIRST_DUE + timedelta(minutes=1)).retried == 1
    relay_up.set()
    assert dispatcher.dispatch(FIRST_DUE + timedelta(minutes=2)).sent == 0  # next try at +3
    assert dispatcher.dispatch(FIRST_DUE + timedelta(minutes=3)).sent == 1
    row = next(r for r in schedule(regimen, NOW) if r["due_utc"] == "2026-03-07T10:00:00Z")
    assert (row["status"], row["attempts"]) == ("sent", 3)


def test_a_reminder_that_keeps_failing_ends_failed_and_is_listed(
    regimen: Regimen, planned_series: Series
) -> None:
    sender = CapturingSender(down=lambda: True)
    dispatcher = dispatcher_with(regimen, sender, policy=QUICK)
    for minute in range(0, 30):
        dispatcher.dispatch(FIRST_DUE + timedelta(minutes=minute))
    failed = schedule(regimen, NOW, status="failed")
    assert [(r["number"], r["lead_minutes"], r["attempts"]) for r in failed] == [(1, 2880, 4)]
    assert "down" in failed[0]["last_error"]


def test_a_claim_left_by_a_crashed_dispatcher_is_taken_again_after_its_lease(
    regimen: Regimen,
) -> None:
    book_series_of_four(regimen)
    crashed = dispatcher_with(regimen, CapturingSender(), worker="crashed")
    crashed.refresh(FIRST_DUE)
    assert len(crashed.outbox.claim(FIRST_DUE, "crashed", 10)) == 1  # and then it died
    sender = CapturingSender()
    survivor = dispatcher_with(regimen, sender, worker="survivor")
    assert survivor.dispatch(FIRST_DUE + timedelta(minutes=5)).sent == 0
    assert survivor.dispatch(FIRST_DUE + timedelta(minutes=10)).sent == 1


class Unreachable:
    """A relay nobody answers on: counts how often it was tried."""

    def __init__(self) -> None:
        self.tries = 0

    def send(self, outgoing: Outgoing) -> None:
        self.tries += 1
        raise DeliveryFailed("connection refused", transient=True, unreachable=True)

    def close(self) -> None:
        """Nothing to close."""


def test_an_unreachable_server_is_tried_once_per_pass_not_once_per_reminder(
    regimen: Regimen, planned_series: Series
) -> None:
    relay = Unreachable()
    report = dispatcher_with(regimen, relay).dispatch(SESSION_1_DUE)
    assert (relay.tries, report.retried) == (1, 2)  # both of session 1's reminders wait


class ChangingMidBatch(CapturingSender):
    """A channel during whose first send someone changes the booking or the consent."""

    def __init__(self, change: Callable[[], object]) -> None:
        super().__init__()
        self.change: Callable[[], object] | None = change

    def send(self, outgoing: Outgoing) -> None:
        super().send(outgoing)
        if self.change is not None:
            self.change, change = None, self.change
            change()


@pytest.mark.parametrize("what", ["the session is cancelled", "consent is withdrawn"])
def test_a_change_stored_while_a_batch_is_sent_stops_the_rest_of_it(
    regimen: Regimen, planned_series: Series, what: str
) -> None:
    series = planned_series

    def change() -> None:
        if what == "the session is cancelled":
            regimen.cancel_sessions(series.plan_id, 1, reason="ill", actor=DESK, now=NOW)
        else:
            regimen.set_reminder_preferences(series.clinic.client_id, NO_REMINDERS, DESK)

    sender = ChangingMidBatch(change)
    # Both of session 1's reminders are due, so one batch holds them; the plan and the
    # client are read once for it, and the change lands after the first is sent.
    report = dispatcher_with(regimen, sender).dispatch(SESSION_1_DUE)
    assert (len(sender.sent), report.sent, report.cancelled) == (1, 1, 1)


def test_a_long_plan_is_read_from_its_snapshot_and_the_events_after_it(
    regimen: Regimen, other_process: Regimen
) -> None:
    series = book_series_of_four(regimen)
    for hour in [11, 10] * 24:  # 48 more events: a snapshot at version 50, then a few
        regimen.reschedule_session(
            series.plan_id,
            4,
            Slot(local_start=datetime(2026, 3, 30, hour), zone=ZONE),
            actor=DESK,
            now=NOW,
        )
    plan = other_process.current([series.plan_id])[series.plan_id]  # not kept there yet
    current = regimen.plan(series.plan_id)
    assert isinstance(plan, TreatmentPlan)
    assert plan.version == current.version > 50
    assert plan.sessions == current.sessions
    regimen.cancel_sessions(series.plan_id, 2, reason="ill", actor=DESK, now=NOW)
    plan = other_process.current([series.plan_id])[series.plan_id]
    assert isinstance(plan, TreatmentPlan)
    assert plan.version == current.version + 1
    assert plan.session(2).status is SessionStatus.CANCELLED


class FailingOnFirst(CapturingSender):
    """A channel with a fault: the first message it is given makes it raise."""

    def __init__(self) -> None:
        super().__init__()
        self.given = 0
        self.closed = 0

    def send(self, outgoing: Outgoing) -> None:
        self.given += 1
        if self.given == 1:
            raise UnicodeEncodeError("ascii", "é", 0, 1, "a fault in the channel")
        super().send(outgoing)

    def close(self) -> None:
        self.closed += 1


def test_a_message_that_cannot_be_sent_fails_alone_and_the_pass_goes_on(
    regimen: Regimen, planned_series: Series
) -> None:
    sender = FailingOnFirst()
    # Both of session 1's reminders are due: the first breaks the channel, the second goes.
    report = dispatcher_with(regimen, sender).dispatch(SESSION_1_DUE)
    assert (report.sent, report.failed, len(sender.sent)) == (1, 1, 1)
    assert sender.closed >= 1  # the channel starts afresh after the fault
    first = [r for r in schedule(regimen, NOW) if r["number"] == 1]
    assert sorted(r["status"] for r in first) == ["failed", "sent"]  # neither left claimed
    (failed,) = schedule(regimen, NOW, status="failed")
    assert "UnicodeEncodeError" in failed["last_error"]


def test_a_clinic_name_stored_with_a_line_break_is_sent_on_one_line(
    regimen: Regimen, planned_series: Series, tmp_path: Path
) -> None:
    rename_clinic_below_the_guard(regimen, "Riverside\r\nBcc: all@example.org")
    outbox = FileOutbox(tmp_path, Channel.EMAIL, "Clinic <r@clinic.test>")
    report = dispatcher_with(regimen, outbox).dispatch(SESSION_1_DUE)
    assert (report.sent, report.failed) == (2, 0)
    for path in (tmp_path / "email").iterdir():
        assert path.name.startswith(f"{planned_series.clinic.client_id}.")  # whose copy
        email = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert email["Subject"].strip().startswith("Reminder: your session at Riverside Bcc: ")
        assert email["Bcc"] is None


def test_a_client_with_a_feed_is_sent_its_calendar_links_and_one_without_is_not(
    regimen: Regimen, planned_series: Series
) -> None:
    asked: list[tuple[UUID, int]] = []

    def links(client: Client, plan_id: UUID, number: int) -> CalendarLinks:
        asked.append((plan_id, number))
        return CalendarLinks(f"webcal://x/{client.id}", f"https://x/{client.id}", f"s/{number}")

    sender = CapturingSender()
    dispatcher = dispatcher_with(regimen, sender)
    dispatcher.calendar_links = links
    dispatcher.dispatch(FIRST_DUE)  # no feed yet: nothing to link to
    regimen.issue_feed_token(planned_series.clinic.client_id, DESK)
    dispatcher.dispatch(SESSION_1_DUE)
    first, *later = sender.sent
    assert "webcal://" not in first.text
    assert later and all(f"webcal://x/{planned_series.clinic.client_id}" in o.text for o in later)
    assert asked and {plan for plan, _ in asked} == {planned_series.plan_id}
