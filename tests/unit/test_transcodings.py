"""Transcodings: every value type and enum survives the event store, snapshots included."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

import service.domain
from service.adapters.transcodings import ENUM_TYPES, VALUE_TYPES
from service.application import Regimen
from service.domain import values
from service.domain.access import ChartAccess, ChartUse
from service.domain.billing_units import ProcedureMinutes, ProcedureUnits, UnitRule
from service.domain.body_regions import View
from service.domain.calendar import Reservation, Resource
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.payer import AuthorizationCount, Fee, PayerTerms
from service.domain.plan import TreatmentPlan
from service.domain.reminders import Channel, QuietHours, ReminderPreferences
from service.domain.rolling_series import ConflictReason, OccurrenceConflict
from service.domain.values import (
    Actor,
    Amendment,
    Assessment,
    Authorization,
    Closure,
    DayHours,
    Evaluation,
    Mobility,
    Performance,
    Prescription,
    RangeOfMotion,
    Recommendation,
    Referral,
    Role,
    SeriesSpec,
    Session,
    SessionStatus,
    SessionTime,
    TimeOff,
    WeeklyHours,
)
from service.domain.visit import VisitKind
from service.domain.waitlist import FreedSlot, WaitlistRequest, Window
from tests.plans import (
    DESK,
    LATER,
    THERAPIST,
    THERAPIST_ID,
    WEEKLY_AT_TEN,
    at,
    authorization,
    booked_plan,
    evaluation,
    performance,
    utc,
)
from tests.stored import as_stored_before, replayed

ROM = (RangeOfMotion("neck", "rotation", 60), RangeOfMotion("neck", "flexion", 45))
LONDON_TEN = at(2026, 3, 9, 10)
NDI = MeasureAnswers(Instrument.NDI, (3, 3, 2, None, 2, 3, 2, 2, 2, 2))
PSFS = MeasureAnswers(Instrument.PSFS, (3, 5, 4), ("lifting", "sitting", "driving"))
ASSESSMENT = Assessment(
    "stiff neck", "3 months", "gradual", "ache", 6, ROM, "forward head", "ropey", (NDI, PSFS)
)
PERFORMANCE = Performance(("swedish", "PNF"), ("neck", "upper back"), 55, 6, "tight")
EVALUATION = Evaluation(
    2, Mobility.SAME, Recommendation.CHANGE_INTERVAL, ROM, "better", 9, 14, "ok", (NDI,)
)
WEEKDAY_MORNINGS = Window((0, 1, 2, 3, 4), time(9), time(12))
RESERVATION = Reservation(uuid4(), 2, utc(2026, 3, 9, 23, 30), utc(2026, 3, 10, 0, 30))
SAMPLES: list[Any] = [
    Actor(user_id="u-1", role=Role.AUDITOR),
    ROM[0],
    PSFS,
    ASSESSMENT,
    SeriesSpec(sessions=6, interval_days=7, session_minutes=60),
    Referral(profession="GP", name="Dr Who", reason="numbness"),
    Prescription(physician="Dr Who", issued_on=date(2026, 2, 27), notes="6 sessions"),
    Authorization(payer="Acme", number="A-1", visits=6, valid_until=date(2026, 6, 30)),
    Authorization("Acme", "A-2", None, date(2026, 6, 30), UUID(int=7), 40),  # units only
    DayHours(0, time(9), time(12, 30)),
    WeeklyHours((DayHours(0, time(9), time(12)), DayHours(0, time(13), time.max))),
    Closure(date(2026, 12, 24), date(2026, 12, 26), "Christmas"),
    TimeOff(utc(2026, 4, 1, 9), utc(2026, 4, 1, 17), "course"),
    LONDON_TEN,
    PERFORMANCE,
    EVALUATION,
    Amendment("record", "wrong area", THERAPIST, utc(2026, 3, 9, 12), PERFORMANCE),
    Session(
        number=3,
        therapist_id=THERAPIST_ID,
        room_id=None,
        time=LONDON_TEN,
        status=SessionStatus.PERFORMED,
        late_cancel=True,
        counts_against_authorization=True,
        authorization_override="approved",
        performance=performance(),
        evaluation=evaluation(),
        amendments=(
            Amendment("record", "wrong area", THERAPIST, utc(2026, 3, 9, 12), performance()),
            Amendment("evaluation", "typo", THERAPIST, utc(2026, 3, 9, 13), EVALUATION),
        ),
    ),
    replace(WEEKLY_AT_TEN, shift_window_days=3),
    RESERVATION,
    QuietHours(time(21), time(8)),
    ReminderPreferences(
        (Channel.EMAIL, Channel.SMS), (timedelta(hours=48), timedelta(hours=2)), None
    ),
    OccurrenceConflict(datetime(2026, 12, 24, 10, 0), ConflictReason.CLOSURE, "closed: Xmas"),
    Fee("97124", 3500),
    ProcedureMinutes("97124", 45),
    ProcedureUnits("97140", 7, 1),
    PayerTerms(
        "Acme Health",
        UnitRule.PER_CODE_8_MINUTE,
        AuthorizationCount.BOTH,
        late_cancel_counts=True,
        no_show_counts=False,
        currency="EUR",
        fees=(Fee("97124", 3500), Fee("97140", 4000)),
    ),
    WEEKDAY_MORNINGS,
    WaitlistRequest(
        uuid4(), None, (WEEKDAY_MORNINGS,), uuid4(), date(2026, 3, 2), None, VisitKind.FOLLOW_UP
    ),
    FreedSlot(uuid4(), 0, uuid4(), uuid4(), None, LONDON_TEN),
]


@pytest.fixture(scope="module")
def round_trip() -> Iterator[Any]:
    """Encode with the application's transcoder and decode again."""
    app = Regimen(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    transcoder = app.mapper.transcoder
    yield lambda obj: transcoder.decode(transcoder.encode(obj))
    app.close()


def test_every_registered_value_type_has_a_sample_here() -> None:
    assert {type(s) for s in SAMPLES} == set(VALUE_TYPES)


def test_every_enum_of_the_domain_is_registered() -> None:
    modules = [
        importlib.import_module(f"service.domain.{info.name}")
        for info in pkgutil.iter_modules(service.domain.__path__)
    ]
    domain_enums = {
        v
        for module in modules
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, Enum) and v.__module__ == module.__name__
    }

    assert {Resource, Channel, values.Role} <= domain_enums  # the scan finds every module's
    never_stored = {ChartUse, ChartAccess}  # decisions about a request, not recorded facts
    never_stored.add(View)  # which drawing of the body chart a region is on
    assert domain_enums - never_stored == set(ENUM_TYPES)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_a_value_object_round_trips_as_itself(sample: Any, round_trip: Any) -> None:
    decoded = round_trip(sample)

    assert type(decoded) is type(sample)
    assert decoded == sample


@pytest.mark.parametrize(
    "member", [m for enum in ENUM_TYPES for m in enum], ids=lambda m: f"{type(m).__name__}.{m.name}"
)
def test_every_enum_member_round_trips_as_the_member(member: Enum, round_trip: Any) -> None:
    assert round_trip(member) is member


def test_tuples_inside_value_objects_come_back_as_tuples(round_trip: Any) -> None:
    decoded = round_trip(ASSESSMENT)

    assert isinstance(decoded.range_of_motion, tuple)
    assert all(type(f) is RangeOfMotion for f in decoded.range_of_motion)
    assert isinstance(round_trip(PERFORMANCE).techniques, tuple)


def test_what_an_amendment_replaced_comes_back_as_a_record_or_an_evaluation(
    round_trip: Any,
) -> None:
    for replaced in (PERFORMANCE, EVALUATION):
        decoded = round_trip(Amendment("record", "typo", THERAPIST, utc(2026, 3, 9, 12), replaced))

        assert type(decoded.replaced) is type(replaced)
        assert decoded.replaced == replaced


def test_a_session_time_keeps_an_aware_utc_start_and_a_naive_local_start(round_trip: Any) -> None:
    decoded: SessionTime = round_trip(at(2026, 7, 6, 10))  # BST: 09:00 UTC

    assert decoded.start == datetime(2026, 7, 6, 9, tzinfo=UTC)
    assert decoded.start.utcoffset() == timedelta(0)
    assert decoded.local_start == datetime(2026, 7, 6, 10)
    assert decoded.local_start.tzinfo is None


@given(day=st.dates())
def test_any_date_round_trips(day: date, round_trip: Any) -> None:
    assert round_trip(day) == day
    assert type(round_trip(day)) is date


@given(moment=st.times())
def test_any_wall_clock_time_round_trips(moment: time, round_trip: Any) -> None:
    assert round_trip(moment) == moment


CENTURY = timedelta(days=36525)


@given(duration=st.timedeltas(min_value=-CENTURY, max_value=CENTURY))
def test_any_duration_within_a_century_round_trips_to_the_microsecond(
    duration: timedelta, round_trip: Any
) -> None:
    assert round_trip(duration) == duration


@pytest.mark.parametrize(
    "duration",
    [
        pytest.param(
            timedelta.max,
        ),
        pytest.param(
            timedelta(days=109500, microseconds=1),
        ),
    ],
    ids=["max", "300 years and a microsecond"],
)
def test_any_duration_round_trips_exactly(duration: timedelta, round_trip: Any) -> None:
    assert round_trip(duration) == duration


# --- through the store -----------------------------------------------------


def full_plan() -> TreatmentPlan:
    """A plan with an authorization, a referral, a performed and evaluated session."""
    plan = booked_plan(
        sessions=2,
        authorization=authorization(visits=6),
        referral=Referral(profession="GP"),
        assessment=ASSESSMENT,
    )
    plan.perform_session(1, performance=PERFORMANCE, actor=THERAPIST, now=LATER)
    plan.evaluate_session(1, evaluation=EVALUATION, actor=THERAPIST)
    return plan


def test_every_stored_event_comes_back_with_its_actor(store: Regimen) -> None:
    plan = full_plan()
    store.save(plan)

    actors = [event.actor for event in store.history(plan.id)]

    assert actors == [THERAPIST, DESK, DESK, DESK, THERAPIST, THERAPIST]
    assert all(type(a.role) is Role for a in actors)


def test_a_snapshot_of_a_plan_loads_as_the_same_plan(store: Regimen) -> None:
    plan = full_plan()
    store.save(plan)

    store.take_snapshot(plan.id)

    assert store.snapshots is not None
    assert [s.originator_version for s in store.snapshots.get(plan.id)] == [plan.version]
    assert store.repository.get(plan.id) == plan


def test_a_plan_is_snapshotted_at_its_fiftieth_event(store: Regimen) -> None:
    plan = full_plan()  # 6 events
    for day in range(46):
        plan.reschedule_session(
            2,
            time=at(2026, 3, 10 + day % 20, 10),
            therapist_id=THERAPIST_ID,
            room_id=None,
            actor=DESK,
        )
    store.save(plan)

    assert store.snapshots is not None
    assert [s.originator_version for s in store.snapshots.get(plan.id)] == [50]
    assert plan.version == 52
    assert store.repository.get(plan.id) == plan


def test_a_plan_loaded_from_a_snapshot_still_obeys_its_rules(store: Regimen) -> None:
    plan = full_plan()
    store.save(plan)
    store.take_snapshot(plan.id)
    loaded = store.repository.get(plan.id)

    loaded.perform_session(2, performance=performance(), actor=THERAPIST, now=LATER)

    assert loaded.session(2).status is SessionStatus.PERFORMED
    assert loaded.authorized_visits_used == 2
    store.save(loaded)
    assert store.repository.get(plan.id).session(2).performance == performance()


def test_a_reservation_keeps_its_plan_id_as_a_uuid(round_trip: Any) -> None:
    decoded = round_trip(RESERVATION)

    assert isinstance(decoded.plan_id, UUID)


# --- histories written before a field existed ------------------------------


def test_a_range_of_motion_stored_before_findings_had_a_side_replays_without_one(
    store: Regimen,
) -> None:
    sided = (RangeOfMotion("hip", "flexion", 95, "right"), RangeOfMotion("neck", "rotation", 60))
    plan = booked_plan(sessions=1, assessment=replace(ASSESSMENT, range_of_motion=sided))
    assert b'"side"' in store.mapper.to_stored_event(plan.pending_events[0]).state  # it is there

    old = replayed(store, as_stored_before(store, plan, "side"))

    assert old.assessment.range_of_motion == (
        RangeOfMotion("hip", "flexion", 95, ""),
        RangeOfMotion("neck", "rotation", 60, ""),
    )
