"""Aggregates kept between commands: always current, shared only to be read, cheap to copy."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import RecordConflictError

from service.adapters.recent import copy_of
from service.application import Regimen
from service.application.commands import Slot
from service.bootstrap import build_regimen
from service.cli.demo import seed_demo
from service.config import Settings
from service.domain.calendar import CalendarDay, Resource
from service.domain.client import Client
from service.domain.errors import SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Role, SessionStatus
from tests.builders import DESK, ZONE, agreed_plan, small_clinic
from tests.fakes import CapturingSender
from tests.reminder_scenario import NOW as BOOKED_AT
from tests.reminder_scenario import book_series_of_four, dispatcher_with, schedule

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
SESSION_1_DUE = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)  # both of session 1's reminders
MONDAY_10, TUESDAY_10 = datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 3, 10, 0)
CLI = Actor(user_id="cli", role=Role.ADMIN)
ATOMS = (str, bytes, int, float, bool, type(None), datetime, date, time, timedelta, UUID, Enum)


def immutable(value: Any) -> bool:
    """Whether nothing reachable from the value can be changed in place."""
    if isinstance(value, ATOMS):
        return True
    if isinstance(value, tuple | frozenset):
        return all(immutable(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        frozen = type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
        return frozen and all(immutable(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def mutable_leaves(value: Any, path: str) -> list[str]:
    """Where, below a list, dict or set, a value could be changed in place."""
    if isinstance(value, list | set):
        return [leaf for item in value for leaf in mutable_leaves(item, f"{path}[]")]
    if isinstance(value, dict):
        return [
            leaf
            for key, item in value.items()
            for leaf in [*mutable_leaves(key, f"{path} key"), *mutable_leaves(item, f"{path}[]")]
        ]
    return [] if immutable(value) else [f"{path}: {type(value).__name__}"]


def test_every_aggregate_holds_only_immutable_values_in_its_containers(
    regimen: Regimen,
) -> None:
    """copy_of copies lists, dicts and sets and shares the rest: that is only safe if
    every other value in every aggregate is immutable. The demo has every kind."""
    seed_demo(regimen, CLI, now=NOW)
    notifications = regimen.recorder.select_notifications(start=1, limit=100_000)
    ids = {n.originator_id for n in notifications}
    kinds: set[str] = set()
    for aggregate_id in ids:
        aggregate = regimen.repository.get(aggregate_id)
        kinds.add(type(aggregate).__name__)
        for name, value in vars(aggregate).items():
            assert mutable_leaves(value, f"{type(aggregate).__name__}.{name}") == []
    assert {"TreatmentPlan", "CalendarDay", "Client", "Clinic", "Therapist", "Room"} <= kinds


def test_a_copy_changed_leaves_the_original_as_it_was(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    regimen.book_session(plan_id, Slot(local_start=MONDAY_10, zone=ZONE), actor=DESK, now=BEFORE)
    original = regimen.load(TreatmentPlan, plan_id)
    copy = copy_of(original)
    copy.cancel_session(
        1,
        reason="changed my mind",
        now=BEFORE,
        cancellation_window=timedelta(hours=24),
        late_cancel_counts=False,
        actor=DESK,
    )
    assert copy.session(1).status is SessionStatus.CANCELLED
    assert original.session(1).status is SessionStatus.BOOKED
    assert original.version == copy.version - 1
    assert original.pending_events == []


def test_a_command_that_fails_after_changing_what_it_loaded_spoils_nothing(
    regimen: Regimen,
) -> None:
    """Moving a session first frees its old slot on the day aggregate, then finds the new
    time taken and fails: the next load of the old day must still show it held."""
    clinic = small_clinic(regimen)
    moving, staying = agreed_plan(regimen, clinic), agreed_plan(regimen, clinic)
    regimen.book_session(moving, Slot(local_start=MONDAY_10, zone=ZONE), actor=DESK, now=BEFORE)
    regimen.book_session(staying, Slot(local_start=TUESDAY_10, zone=ZONE), actor=DESK, now=BEFORE)
    old_day = CalendarDay.create_id(Resource.THERAPIST, clinic.therapist_id, MONDAY_10.date())
    assert len(regimen.load(CalendarDay, old_day).reservations) == 1
    with pytest.raises(SlotTaken):
        regimen.reschedule_session(
            moving, 1, Slot(local_start=TUESDAY_10, zone=ZONE), actor=DESK, now=BEFORE
        )
    held = regimen.load(CalendarDay, old_day).reservations
    assert [(r.plan_id, r.number) for r in held] == [(moving, 1)]
    assert regimen.load(TreatmentPlan, moving).session(1).time.local_start == MONDAY_10


def test_what_another_process_saved_is_seen_at_the_next_load(
    two_processes: tuple[Regimen, Regimen],
) -> None:
    """Two applications on one database stand for two server processes."""
    one, other = two_processes
    clinic = small_clinic(one)
    first, second = agreed_plan(one, clinic), agreed_plan(one, clinic)
    day_id = CalendarDay.create_id(Resource.THERAPIST, clinic.therapist_id, MONDAY_10.date())
    one.book_session(first, Slot(local_start=TUESDAY_10, zone=ZONE), actor=DESK, now=BEFORE)
    assert one.load(TreatmentPlan, first).version  # kept by `one` from here on
    assert one.recent.get_many([day_id]) == {}  # nobody holds Monday yet

    other.book_session(first, Slot(local_start=MONDAY_10, zone=ZONE), actor=DESK, now=BEFORE)
    assert [s.number for s in one.load(TreatmentPlan, first).sessions] == [1, 2]
    with pytest.raises(SlotTaken):  # `one` sees the Monday booking `other` made
        one.book_session(second, Slot(local_start=MONDAY_10, zone=ZONE), actor=DESK, now=BEFORE)

    other.cancel_sessions(first, 2, reason="ill", actor=DESK, now=BEFORE)
    monday = one.recent.get_many([day_id])[day_id]
    assert isinstance(monday, CalendarDay) and monday.reservations == []
    one.book_session(second, Slot(local_start=MONDAY_10, zone=ZONE), actor=DESK, now=BEFORE)


def test_a_plan_first_loaded_after_its_snapshot_is_the_plan_replayed(
    two_processes: tuple[Regimen, Regimen],
) -> None:
    """Loaded by another process for the first time: from the last snapshot and the
    events after it, read together, it equals the library's own reconstruction."""
    writer, reader = two_processes
    plan_id = agreed_plan(writer, small_clinic(writer))
    writer.book_session(plan_id, Slot(local_start=MONDAY_10, zone=ZONE), actor=DESK, now=BEFORE)
    for hour in [11, 10] * 25:  # a snapshot at version 50, then events after it
        writer.reschedule_session(
            plan_id,
            1,
            Slot(local_start=MONDAY_10.replace(hour=hour), zone=ZONE),
            actor=DESK,
            now=BEFORE,
        )
    assert [s.originator_version for s in writer.snapshots.get(plan_id)] == [50]

    loaded = reader.load(TreatmentPlan, plan_id)
    replayed = reader.repository.get(plan_id)
    assert loaded.version == replayed.version > 50
    assert loaded.sessions == replayed.sessions
    assert vars(loaded) == vars(replayed)


def test_a_reminder_pass_reads_the_kept_plan_and_client_without_changing_them(
    shared_database_url: str,
) -> None:
    """The dispatcher is handed the kept aggregates themselves, not copies: after a pass
    (calendar and page links included) they still equal the plan and client replayed, and
    a later change replaces them rather than changing the ones handed out."""
    settings = Settings(database_url=shared_database_url, public_url="https://clinic.test")
    writer, dispatching = build_regimen(settings), build_regimen(settings)
    try:
        series = book_series_of_four(writer)
        writer.issue_feed_token(series.clinic.client_id, DESK)
        schedule(writer, BOOKED_AT)  # its reminders planned
        sender = CapturingSender()
        report = dispatcher_with(dispatching, sender, settings=settings).dispatch(SESSION_1_DUE)
        assert report.sent == 2 and "webcal://" in sender.sent[0].text

        ids = (series.plan_id, series.clinic.client_id)
        kept = {i: dispatching.recent.kept.get(i).aggregate for i in ids}
        for aggregate_id, aggregate in kept.items():
            assert vars(aggregate) == vars(writer.repository.get(aggregate_id))
        shared = dispatching.current(ids, shared=True)
        assert all(shared[i] is kept[i] for i in ids)
        assert all(dispatching.current(ids)[i] is not kept[i] for i in ids)

        writer.cancel_sessions(series.plan_id, 2, reason="ill", actor=DESK, now=BEFORE)
        plan = dispatching.current([series.plan_id], shared=True)[series.plan_id]
        assert isinstance(plan, TreatmentPlan) and plan is not kept[series.plan_id]
        assert plan.session(2).status is SessionStatus.CANCELLED
        assert kept[series.plan_id].session(2).status is SessionStatus.BOOKED
    finally:
        writer.close()
        dispatching.close()


def test_an_aggregate_changed_after_its_save_is_read_again_not_kept(regimen: Regimen) -> None:
    """What a save keeps is the caller's own object: changed afterwards (no use case does),
    it no longer counts as kept, and the next load reads what is stored."""
    client = Client.register(
        name="Cora Client", zone=ZONE, email="", phone="", notes="", actor=DESK
    )
    regimen.save(client)
    client.issue_feed_token("never saved", DESK)

    loaded = regimen.load(Client, client.id)

    assert loaded.feed_token_hash != "never saved" and loaded.version == 1


def test_a_save_refused_after_its_events_were_taken_leaves_nothing_kept_that_was_not_stored(
    two_processes: tuple[Regimen, Regimen],
) -> None:
    """A refused save has already taken the events from the object and moved its version
    on: kept as it was, it would hide what the other process stored at that version."""
    one, other = two_processes
    client = Client.register(
        name="Cora Client", zone=ZONE, email="", phone="", notes="", actor=DESK
    )
    one.save(client)
    theirs = other.load(Client, client.id)
    theirs.issue_feed_token("stored by the other", DESK)
    other.save(theirs)
    client.issue_feed_token("refused", DESK)
    with pytest.raises(RecordConflictError):
        one.save(client)

    loaded = one.load(Client, client.id)

    assert (loaded.feed_token_hash, loaded.version) == ("stored by the other", 2)
