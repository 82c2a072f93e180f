"""The reminder schedule as a projection of the events, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.application import Regimen
from service.application.commands import Slot
from service.domain.client import Client
from service.domain.reminders import Channel, ReminderPreferences
from service.projections.projector import Projector
from service.reminders.planning import reminder_id
from tests.builders import DESK, ZONE
from tests.fakes import CapturingSender
from tests.reminder_scenario import (
    EMAIL_48_AND_2,
    END,
    EXPECTED,
    NOW,
    QUIET,
    book_series_of_four,
    dispatcher_with,
    expected_rows,
    hours_between,
    schedule,
)

HOUR = timedelta(hours=1)


def test_a_series_of_four_gets_eight_reminders_at_her_local_times(regimen: Regimen) -> None:
    series = book_series_of_four(regimen)
    rows = schedule(regimen, NOW, client_id=str(series.clinic.client_id))
    assert expected_rows(rows) == EXPECTED
    assert {r["status"] for r in rows} == {"scheduled"}
    assert {r["zone"] for r in rows} == {ZONE}
    moved = [r for r in rows if r["quiet_moved"]]
    assert len(moved) == 1 and moved[0]["due_local"] < "2026-03-23T09:00"  # earlier, not after
    assert {r["reminder_id"] for r in rows} == {
        str(reminder_id(series.plan_id, n, timedelta(minutes=m), Channel.EMAIL))
        for n, m, _, _ in EXPECTED
    }


def test_cancelling_session_2_cancels_its_reminders_and_they_are_never_sent(
    regimen: Regimen,
) -> None:
    series = book_series_of_four(regimen)
    regimen.cancel_sessions(series.plan_id, 2, reason="away", actor=DESK, now=NOW)
    sender = CapturingSender()
    dispatcher = dispatcher_with(regimen, sender)
    for moment in hours_between(NOW, END, HOUR):
        dispatcher.dispatch(moment)
    rows = schedule(regimen, END)
    statuses = {(r["number"], r["lead_minutes"]): r["status"] for r in rows}
    assert statuses == {(n, m): "cancelled" if n == 2 else "sent" for n, m, _, _ in EXPECTED}
    assert len(sender.sent) == 6
    assert len({o.key for o in sender.sent}) == 6
    assert all("16 Mar" not in o.subject for o in sender.sent)


def test_a_reschedule_moves_the_reminders_and_keeps_their_ids(regimen: Regimen) -> None:
    series = book_series_of_four(regimen)
    before = {r["reminder_id"]: r for r in schedule(regimen, NOW)}
    regimen.reschedule_session(
        series.plan_id,
        1,
        Slot(local_start=datetime(2026, 3, 10, 14, 0), zone=ZONE),
        actor=DESK,
        now=NOW,
    )
    after = {r["reminder_id"]: r for r in schedule(regimen, NOW)}
    assert set(after) == set(before)
    moved = [after[k] for k in after if after[k]["number"] == 1]
    assert sorted(r["due_local"] for r in moved) == ["2026-03-08T14:00", "2026-03-10T12:00"]


def test_changing_preferences_re_plans_only_the_unsent_reminders(regimen: Regimen) -> None:
    series = book_series_of_four(regimen)
    sender = CapturingSender()
    dispatcher = dispatcher_with(regimen, sender)
    dispatcher.dispatch(datetime(2026, 3, 7, 10, tzinfo=UTC))  # session 1's 48 h reminder
    assert len(sender.sent) == 1
    later = datetime(2026, 3, 7, 12, tzinfo=UTC)
    both = ReminderPreferences(
        consented_channels=(Channel.EMAIL, Channel.SMS),
        leads=(timedelta(hours=24),),
        quiet_hours=QUIET,
    )
    regimen.update_client(series.clinic.client_id, {"phone": "+447700900123"}, DESK)
    regimen.set_reminder_preferences(series.clinic.client_id, both, DESK)
    rows = schedule(regimen, later)
    sent = [r for r in rows if r["status"] == "sent"]
    assert [(r["number"], r["lead_minutes"]) for r in sent] == [(1, 2880)]  # kept, as sent
    planned = sorted((r["number"], r["channel"]) for r in rows if r["status"] == "scheduled")
    assert planned == [(n, c) for n in (1, 2, 3, 4) for c in ("email", "sms")]
    assert {r["lead_minutes"] for r in rows if r["status"] == "scheduled"} == {1440}


def test_withdrawing_consent_leaves_nothing_to_send(regimen: Regimen) -> None:
    series = book_series_of_four(regimen)
    regimen.set_reminder_preferences(series.clinic.client_id, ReminderPreferences(), DESK)
    assert schedule(regimen, NOW) == []
    sender = CapturingSender()
    dispatcher_with(regimen, sender).dispatch(END)
    assert sender.sent == []


def test_a_reminder_already_due_when_the_session_is_booked_is_not_planned(
    regimen: Regimen,
) -> None:
    series = book_series_of_four(regimen, now=datetime(2026, 3, 8, 12, tzinfo=UTC))
    rows = schedule(
        regimen, datetime(2026, 3, 8, 12, tzinfo=UTC), client_id=str(series.clinic.client_id)
    )
    assert (1, 2880) not in {(r["number"], r["lead_minutes"]) for r in rows}
    assert len(rows) == 7


def test_closing_the_plan_cancels_every_unsent_reminder(regimen: Regimen) -> None:
    series = book_series_of_four(regimen)
    regimen.cancel_plan(series.plan_id, reason="moved away", actor=DESK)
    assert {r["status"] for r in schedule(regimen, NOW)} == {"cancelled"}


def test_a_rebuild_never_sends_a_reminder_again(regimen: Regimen) -> None:
    book_series_of_four(regimen)
    sender = CapturingSender()
    dispatcher = dispatcher_with(regimen, sender)
    middle = datetime(2026, 3, 15, tzinfo=UTC)
    for moment in hours_between(NOW, middle, HOUR):
        dispatcher.dispatch(moment)
    assert len(sender.sent) == 3
    before = schedule(regimen, middle)
    Projector(regimen).rebuild(["reminders"])
    assert schedule(regimen, middle) == before
    for moment in hours_between(NOW, middle, HOUR):  # even replaying the whole period
        dispatcher.dispatch(moment)
    assert len(sender.sent) == 3


def test_the_claim_rechecks_the_event_store_before_sending(regimen: Regimen) -> None:
    series = book_series_of_four(regimen)
    schedule(regimen, NOW)  # planned while session 1 was booked
    regimen.cancel_sessions(series.plan_id, 1, reason="ill", actor=DESK, now=NOW)
    sender = CapturingSender()
    stale = dispatcher_with(regimen, sender, refresh=False)  # its view still says booked
    report = stale.dispatch(datetime(2026, 3, 7, 10, tzinfo=UTC))
    assert sender.sent == [] and report.cancelled == 1


def test_an_unsent_reminder_whose_session_began_is_failed(regimen: Regimen) -> None:
    book_series_of_four(regimen)
    schedule(regimen, NOW)  # planned when booked; then no dispatcher ran until too late
    sender = CapturingSender()
    dispatcher_with(regimen, sender).dispatch(datetime(2026, 3, 9, 11, tzinfo=UTC))
    rows = {(r["number"], r["lead_minutes"]): r for r in schedule(regimen, NOW)}
    assert rows[(1, 2880)]["status"] == rows[(1, 120)]["status"] == "failed"
    assert "began" in rows[(1, 120)]["last_error"]
    assert rows[(2, 2880)]["status"] == "scheduled"
    assert sender.sent == []


def test_preferences_survive_the_event_store(regimen: Regimen) -> None:
    series = book_series_of_four(regimen)
    assert regimen.load(Client, series.clinic.client_id).reminder_preferences == EMAIL_48_AND_2
