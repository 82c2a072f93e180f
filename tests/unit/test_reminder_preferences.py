"""A client's reminder preferences: explicit consent, sane lead times, recorded as events."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from eventsourcing.persistence import JSONTranscoder

from service.adapters.transcodings import register_value_transcodings
from service.domain.client import Client
from service.domain.errors import InvalidValue
from service.domain.reminders import (
    NO_REMINDERS,
    Channel,
    QuietHours,
    ReminderPreferences,
    validate_preferences,
)
from service.domain.values import Actor, Role

DESK = Actor(user_id="desk", role=Role.FRONT_DESK)
H = timedelta(hours=1)


def client(email: str = "cora@example.org", phone: str = "") -> Client:
    return Client.register(
        name="Cora", email=email, phone=phone, zone="Europe/London", notes="", actor=DESK
    )


def test_a_new_client_has_consented_to_nothing() -> None:
    assert client().reminder_preferences == NO_REMINDERS
    assert NO_REMINDERS.consented_channels == ()
    assert NO_REMINDERS.leads == (48 * H, 2 * H)


def test_setting_preferences_records_one_event_with_its_actor() -> None:
    cora = client()
    wanted = ReminderPreferences((Channel.EMAIL,), (2 * H, 24 * H), QuietHours(time(22), time(7)))
    cora.set_reminder_preferences(wanted, DESK)
    cora.set_reminder_preferences(wanted, DESK)  # no change, no event
    events = cora.collect_events()
    assert [type(e).__name__ for e in events] == ["ClientRegistered", "ReminderPreferencesSet"]
    assert events[-1].actor == DESK  # type: ignore[attr-defined]
    assert cora.reminder_preferences.leads == (24 * H, 2 * H)  # longest first


@pytest.mark.parametrize(
    ("preferences", "complaint"),
    [
        (ReminderPreferences(leads=()), "between 1 and"),
        (ReminderPreferences(leads=(2 * H, 2 * H)), "must differ"),
        (ReminderPreferences(leads=(timedelta(minutes=5),)), "15 minutes"),
        (ReminderPreferences(leads=(timedelta(days=15),)), "14 days"),
        (ReminderPreferences(leads=(timedelta(seconds=3600 * 2 + 30),)), "whole minutes"),
        (ReminderPreferences(quiet_hours=QuietHours(time(8), time(8))), "different times"),
        (ReminderPreferences((Channel.SMS, Channel.SMS)), "once"),
    ],
)
def test_unusable_preferences_are_refused(preferences: ReminderPreferences, complaint: str) -> None:
    with pytest.raises(InvalidValue, match=complaint):
        validate_preferences(preferences)


def test_a_channel_needs_an_address() -> None:
    with pytest.raises(InvalidValue, match="phone"):
        client(phone="").set_reminder_preferences(ReminderPreferences((Channel.SMS,)), DESK)
    with pytest.raises(InvalidValue, match="email"):
        client(email="").set_reminder_preferences(ReminderPreferences((Channel.EMAIL,)), DESK)


def test_a_feed_token_is_stored_as_given_and_revoked_once() -> None:
    cora = client()
    cora.issue_feed_token("a" * 64, DESK)
    cora.revoke_feed_token(DESK)
    cora.revoke_feed_token(DESK)
    names = [type(e).__name__ for e in cora.collect_events()]
    assert names == ["ClientRegistered", "FeedTokenIssued", "FeedTokenRevoked"]
    assert cora.feed_token_hash == ""


def test_preferences_come_back_from_json_as_they_went_in() -> None:
    transcoder = JSONTranscoder()
    register_value_transcodings(transcoder)
    preferences = ReminderPreferences(
        (Channel.EMAIL, Channel.SMS), (48 * H, 2 * H), QuietHours(time(21), time(8))
    )
    again = transcoder.decode(transcoder.encode({"p": preferences, "none": NO_REMINDERS}))
    assert again == {"p": preferences, "none": NO_REMINDERS}
    assert isinstance(again["p"].consented_channels[0], Channel)
