"""Notices to clients: one confirmation for a whole series, and a notice when the clinic
moves or cancels a session; none for what the client did themselves."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from uuid import UUID

from flask.testing import FlaskClient

from service.adapters.channels import email_of
from service.application import Regimen
from service.application.commands import Slot
from service.application.self_service import client_actor
from service.bootstrap import bootstrap, build_regimen
from service.config import Settings
from service.domain.clinic_contact import ClinicContact
from service.domain.reminders import Channel, ReminderPreferences
from service.reminders.notices import NoticeDispatcher
from tests.api.helpers import bearer
from tests.builders import ADMIN, DESK, ZONE, Clinic, agreed_plan, book_weekly, small_clinic
from tests.fakes import CapturingSender

MAIL_FROM = "Test Clinic <reminders@clinic.example.org>"


def next_tuesday_10() -> datetime:
    """10:00 on a Tuesday at least a week away (London wall time, naive)."""
    day = datetime.now(UTC).date() + timedelta(days=7)
    day += timedelta(days=(1 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 10)


def notices(regimen: Regimen, settings: Settings, sender: CapturingSender) -> NoticeDispatcher:
    wiring = bootstrap(settings, regimen=regimen, senders={Channel.EMAIL: sender})
    return wiring.notice_dispatcher(worker="test")


def settled() -> datetime:
    """A moment after every change so far has settled into its notice."""
    return datetime.now(UTC) + timedelta(minutes=1)


def consenting(regimen: Regimen, clinic: Clinic) -> None:
    email = ReminderPreferences(consented_channels=(Channel.EMAIL,))
    regimen.set_reminder_preferences(clinic.client_id, email, DESK)
    contact = ClinicContact(address="12 River Street", phone="0117 496 0123")
    regimen.set_clinic_contact(contact, actor=ADMIN)


def consented_series(regimen: Regimen, clinic: Clinic, plan_id: UUID) -> datetime:
    """Cora consents to email, and the desk books her plan weekly from next Tuesday 10:00.

    Returns the first session's start (London wall time).
    """
    consenting(regimen, clinic)
    first = next_tuesday_10()
    book_weekly(regimen, plan_id, first, now=datetime.now(UTC))
    return first


def test_a_series_is_confirmed_in_one_message_listing_every_session(
    regimen: Regimen, settings: Settings, clinic: Clinic, plan_id: UUID
) -> None:
    first = consented_series(regimen, clinic, plan_id)
    sender = CapturingSender()
    report = notices(regimen, settings, sender).dispatch(settled())

    assert report.sent == 1 and len(sender.sent) == 1
    [message] = sender.sent
    assert message.subject.startswith("Booked: 6 sessions at Test Clinic")
    assert message.text.count("  - ") == 6 and "12 River Street" in message.text
    assert f"{first:%A} {first.day} {first:%B %Y at %H:%M}" in message.text
    assert "/c/" in message.text  # the client's page, signed
    parsed = message_from_bytes(email_of(message, MAIL_FROM).as_bytes(), policy=policy.default)
    assert parsed.defects == [] and all(v.defects == () for _, v in parsed.items())
    # Sent once: another pass finds nothing due.
    assert notices(regimen, settings, sender).dispatch(settled()).sent == 0


def test_the_clinic_moving_or_cancelling_a_session_sends_a_notice_the_client_does_not(
    regimen: Regimen, settings: Settings, clinic: Clinic, plan_id: UUID
) -> None:
    first = consented_series(regimen, clinic, plan_id)
    sender = CapturingSender()
    notices(regimen, settings, sender).dispatch(settled())

    moved_to = first + timedelta(hours=4)
    regimen.reschedule_session(
        plan_id, 2, Slot(moved_to + timedelta(days=7), ZONE), actor=DESK, now=datetime.now(UTC)
    )
    regimen.cancel_sessions(plan_id, 3, reason="therapist ill", actor=DESK, now=datetime.now(UTC))
    regimen.cancel_sessions(
        plan_id, 4, reason="mine", actor=client_actor(clinic.client_id), now=datetime.now(UTC)
    )
    notices(regimen, settings, sender).dispatch(settled())

    subjects = sorted(m.subject.split(":")[0] for m in sender.sent[1:])
    assert subjects == ["Cancelled", "Moved"]
    cancelled = next(m for m in sender.sent if m.subject.startswith("Cancelled"))
    assert "has been cancelled by Test Clinic" in cancelled.text


def test_without_consent_no_notice_goes_out(
    regimen: Regimen, settings: Settings, clinic: Clinic, plan_id: UUID
) -> None:
    book_weekly(regimen, plan_id, next_tuesday_10(), now=datetime.now(UTC))
    sender = CapturingSender()
    report = notices(regimen, settings, sender).dispatch(settled())
    assert (report.sent, report.cancelled, sender.sent) == (0, 1, [])


def test_two_dispatchers_on_one_database_send_a_notice_once(shared_database_url: str) -> None:
    settings = Settings(database_url=shared_database_url, public_url="http://localhost")
    first, second = build_regimen(settings), build_regimen(settings)
    try:
        clinic = small_clinic(first)
        consenting(first, clinic)
        plan_id = agreed_plan(first, clinic)
        book_weekly(first, plan_id, next_tuesday_10(), now=datetime.now(UTC))
        sender = CapturingSender()
        dispatchers = [notices(app, settings, sender) for app in (first, second)]
        at = settled()
        with ThreadPoolExecutor(2) as pool:
            reports = list(pool.map(lambda d: d.dispatch(at), dispatchers))
        assert sorted(r.sent for r in reports) == [0, 1] and len(sender.sent) == 1
    finally:
        first.close()
        second.close()


def test_the_desk_lists_what_became_of_each_notice(
    client: FlaskClient,
    regimen: Regimen,
    settings: Settings,
    clinic: Clinic,
    plan_id: UUID,
    tokens: dict[str, str],
) -> None:
    book_weekly(regimen, plan_id, next_tuesday_10(), now=datetime.now(UTC))
    notices(regimen, settings, CapturingSender()).dispatch(settled())  # no consent: not sent
    desk = bearer(tokens["front_desk"])
    listed = client.get("/api/v1/notices?status=cancelled", headers=desk).get_json()
    assert [(n["kind"], n["detail"]) for n in listed] == [("booked", "no consented channel")]
    assert listed[0]["plan_or_visit_id"] == str(plan_id)
    assert client.get("/api/v1/notices?status=sent", headers=desk).get_json() == []
