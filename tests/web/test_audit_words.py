"""The audit workspace's words: who acted, a plain line per event, fields counted from 1."""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Role
from service.web.audit_words import LINES, field_label, type_words, value_text, who


def test_the_scheduler_and_people_are_named() -> None:
    users = {"u1": "Maria Lopez"}
    assert who(Actor("u1", Role.FRONT_DESK), users).label == "Front desk — Maria Lopez"
    assert who(Actor("system", Role.SYSTEM), users).label == "Scheduler"
    stranger = who(Actor("0e66aa77-0000-4000-8000-000000000000", Role.THERAPIST), users)
    assert stranger.label == "Therapist — user 0e66aa77… (not in the accounts list)"
    client = who(Actor("0e66aa77-0000-4000-8000-000000000000", Role.CLIENT), users)
    assert client.label == "Client — by their own link"


def test_every_event_of_a_plan_has_a_plain_line() -> None:
    events = {
        getattr(TreatmentPlan, name)
        for name in dir(TreatmentPlan)
        if isinstance(getattr(TreatmentPlan, name), type)
        and issubclass(getattr(TreatmentPlan, name), Aggregate.Event)
        and name not in ("Event", "Created")  # the library's bases, never stored as such
    }
    assert len(events) == 20 and events - set(LINES) == set()


def test_fields_are_labelled_with_sessions_counted_from_one() -> None:
    assert field_label("/sessions/2/time/local_start") == "Session 3 › time › local start"
    assert field_label("/referrals/0/profession") == "Referrals › item 1 › profession"
    assert field_label("/status") == "Status"
    assert type_words("SessionRescheduled") == "Session rescheduled"
    assert value_text(None) == "—" and value_text(["neck", "back"]) == "neck, back"
