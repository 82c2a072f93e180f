"""Visits outside a plan: booked, held and reminded of like a plan's sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.domain.errors import RuleViolated, SessionStateError, SlotTaken
from service.domain.proposal import PlanProposal
from service.domain.values import Performance, SessionStatus
from service.domain.visit import Visit, VisitBooking, VisitKind
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import (
    DESK,
    THERAPIST,
    ZONE,
    Clinic,
    agreed_plan,
    proposal,
    small_clinic,
    visit_booking,
)
from tests.fakes import CapturingSender
from tests.plans import assessment
from tests.reminder_scenario import EMAIL_48_AND_2, dispatcher_with, hours_between

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday
MINUTE = timedelta(minutes=1)
MONDAY_10 = datetime(2026, 3, 9, 10, 0)  # local wall time, a week later
ASSESSMENT = assessment()
PERFORMANCE = Performance(
    techniques=("effleurage",), areas=("neck",), duration_minutes=50, pain_before=6
)


def visit_at(clinic: Clinic, local: datetime) -> VisitBooking:
    return visit_booking(clinic, local.isoformat(), complaint="stiff neck for three weeks")


def booked(regimen: Regimen, local: datetime = MONDAY_10) -> tuple[Clinic, Visit]:
    clinic = small_clinic(regimen)
    return clinic, regimen.book_visit(visit_at(clinic, local), actor=DESK, now=NOW)


def test_a_booked_visit_is_on_the_calendar_with_its_client_and_kind(regimen: Regimen) -> None:
    clinic, visit = booked(regimen)
    reads = ReadModel(Projector(regimen)).fresh()
    [row] = reads.sessions_between("2026-03-09T00:00", "2026-03-10T00:00").items
    assert row["plan_id"] == str(visit.id) and row["number"] == 0
    assert (row["kind"], row["status"]) == ("assessment", "booked")
    assert row["client_name"] == "Cora Client" and row["local_start"] == "2026-03-09T10:00"


def test_a_clients_visit_ids_are_their_visits_only_every_one_or_in_a_span(
    regimen: Regimen,
) -> None:
    clinic, first = booked(regimen)
    later = regimen.book_visit(
        visit_at(clinic, MONDAY_10 + timedelta(weeks=2)), actor=DESK, now=NOW
    )
    plan_id = agreed_plan(regimen, clinic)  # its session is no visit
    regimen.book_session(plan_id, Slot(MONDAY_10 + timedelta(days=1), ZONE), actor=DESK, now=NOW)
    reads = ReadModel(Projector(regimen)).fresh()
    client = str(clinic.client_id)
    assert len(reads.sessions_between("2026-03-01", "2026-04-01", client_id=client).items) == 3
    assert reads.visit_ids(client) == [str(first.id), str(later.id)]
    assert reads.visit_ids(client, "2026-03-16", "2026-04-01") == [str(later.id)]
    assert reads.visit_ids(str(clinic.other_client_id)) == []


def test_a_visit_and_a_plan_session_never_share_a_therapist_slot(regimen: Regimen) -> None:
    clinic, _ = booked(regimen)
    plan_id = agreed_plan(regimen, clinic)
    with pytest.raises(SlotTaken):
        regimen.book_session(plan_id, Slot(MONDAY_10, ZONE), actor=DESK, now=NOW)
    regimen.book_session(plan_id, Slot(MONDAY_10 + timedelta(hours=1), ZONE), actor=DESK, now=NOW)
    with pytest.raises(SlotTaken):
        regimen.book_visit(
            visit_at(clinic, MONDAY_10 + timedelta(hours=1, minutes=30)), actor=DESK, now=NOW
        )


def test_a_late_cancel_is_detected_and_frees_the_slot(regimen: Regimen) -> None:
    clinic, visit = booked(regimen)
    the_day_before = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)  # inside the 24-hour window
    cancelled = regimen.cancel_visit(visit.id, reason="ill", actor=DESK, now=the_day_before)
    assert cancelled.status is SessionStatus.CANCELLED and cancelled.session.late_cancel
    again = regimen.book_visit(visit_at(clinic, MONDAY_10), actor=DESK, now=the_day_before)
    assert again.status is SessionStatus.BOOKED


def test_a_visit_moves_to_a_free_slot_and_its_old_time_is_freed(regimen: Regimen) -> None:
    clinic, visit = booked(regimen)
    moved = regimen.reschedule_visit(
        visit.id, Slot(MONDAY_10 + timedelta(days=1), ZONE), actor=DESK, now=NOW
    )
    assert moved.session.time.local_start == MONDAY_10 + timedelta(days=1)
    assert moved.version == regimen.visit(visit.id).version  # the visit as saved
    other = regimen.book_visit(visit_at(clinic, MONDAY_10), actor=DESK, now=NOW)
    assert other.status is SessionStatus.BOOKED


def test_nothing_is_recorded_for_a_visit_before_it_starts(regimen: Regimen) -> None:
    _, visit = booked(regimen)
    start = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)  # 10:00 in London in March is UTC
    with pytest.raises(SessionStateError, match="before it has started"):
        regimen.perform_visit(visit.id, PERFORMANCE, actor=THERAPIST, now=start - MINUTE)
    with pytest.raises(SessionStateError, match="before it has started"):
        regimen.record_visit_no_show(visit.id, actor=DESK, now=start - MINUTE)
    assert regimen.visit(visit.id).version == visit.version  # nothing written


def test_a_record_made_hours_after_the_visit_says_it_was_late(regimen: Regimen) -> None:
    clinic, visit = booked(regimen)
    other = regimen.book_visit(
        VisitBooking(
            client_id=clinic.other_client_id,
            therapist_id=clinic.other_therapist_id,
            room_id=clinic.other_room_id,
            kind=VisitKind.SINGLE,
            time=visit.session.time,
        ),
        actor=DESK,
        now=NOW,
    )
    soon_after = datetime(2026, 3, 9, 11, 5, tzinfo=UTC)
    next_morning = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    regimen.perform_visit(visit.id, PERFORMANCE, actor=THERAPIST, now=soon_after)
    regimen.perform_visit(other.id, PERFORMANCE, actor=THERAPIST, now=next_morning)
    recorded = [
        event.recorded_late
        for v in (visit, other)
        for event in regimen.history(v.id)
        if isinstance(event, Visit.VisitPerformed)
    ]
    assert recorded == [False, True]
    assert regimen.visit(other.id).status is SessionStatus.PERFORMED


def test_a_visit_is_reminded_of_like_a_session(regimen: Regimen) -> None:
    clinic, _ = booked(regimen)
    regimen.set_reminder_preferences(clinic.client_id, EMAIL_48_AND_2, DESK)
    sender = CapturingSender()
    dispatcher = dispatcher_with(regimen, sender)
    for moment in hours_between(NOW, datetime(2026, 3, 9, 12, tzinfo=UTC), timedelta(hours=1)):
        dispatcher.dispatch(moment)
    assert len(sender.sent) == 2  # 48 hours and 2 hours before
    assert all("9 Mar" in outgoing.subject for outgoing in sender.sent)
    assert {outgoing.to for outgoing in sender.sent} == {"cora@example.org"}
    assert len({outgoing.key for outgoing in sender.sent}) == 2


def test_a_plan_proposed_from_an_assessment_and_the_visit_record_each_other(
    regimen: Regimen,
) -> None:
    clinic, visit = booked(regimen)
    started = datetime(2026, 3, 9, 10, 20, tzinfo=UTC)
    regimen.record_assessment(visit.id, ASSESSMENT, actor=THERAPIST, now=started)
    values = proposal(clinic, from_visit_id=visit.id)
    plan_id = regimen.propose_plan(PlanProposal(**values), actor=THERAPIST)
    assert regimen.plan(plan_id).from_visit_id == visit.id
    assert regimen.visit(visit.id).plan_id == plan_id
    assert regimen.visit(visit.id).assessment == ASSESSMENT
    [led] = [e for e in regimen.history(visit.id) if isinstance(e, Visit.PlanProposedFromVisit)]
    assert led.plan_id == plan_id
    with pytest.raises(RuleViolated, match="already proposed"):
        regimen.propose_plan(PlanProposal(**values), actor=THERAPIST)


def test_a_plan_cannot_come_from_another_clients_visit(regimen: Regimen) -> None:
    clinic, visit = booked(regimen)
    values = proposal(clinic, client_id=clinic.other_client_id, from_visit_id=visit.id)
    with pytest.raises(RuleViolated, match="another client"):
        regimen.propose_plan(PlanProposal(**values), actor=THERAPIST)
    assert regimen.visit(visit.id).plan_id is None


def test_finding_free_time_reads_each_day_once_however_many_bookings_it_passes(
    regimen: Regimen, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic, _ = booked(regimen)
    for hour in (12, 14, 16):
        regimen.book_visit(visit_at(clinic, MONDAY_10.replace(hour=hour)), actor=DESK, now=NOW)
    reads: list[object] = []
    get_many = regimen.recent.get_many
    monkeypatch.setattr(
        regimen.recent, "get_many", lambda ids, **kw: reads.append(ids) or get_many(ids, **kw)
    )

    free = regimen.free_time(
        clinic.therapist_id,
        first_day=MONDAY_10.date(),
        last_day=MONDAY_10.date(),
        minutes=60,
        now=NOW,
    )

    # 45 quarter-hour starts from 08:00 to 19:00; each busy hour (10, 12, 14, 16) rules out the
    # seven starts from 45 minutes before it to 45 minutes into it.
    assert len(free) == 45 - 4 * 7
    assert len(reads) == 1  # clinic, therapist and days together; no booking is named


def test_assessing_a_visit_records_the_assessment_and_the_plan_in_one_save(
    regimen: Regimen,
) -> None:
    clinic, visit = booked(regimen)
    started = NOW + timedelta(days=7, hours=2, minutes=15)  # 10:15 on Monday 9 March, London
    values = proposal(clinic, assessment=ASSESSMENT, from_visit_id=visit.id)

    plan_id = regimen.assess_visit(
        visit.id, ASSESSMENT, proposal=PlanProposal(**values), actor=THERAPIST, now=started
    )

    after = regimen.visit(visit.id)
    assert plan_id is not None and after.plan_id == plan_id
    assert after.assessment == ASSESSMENT
    assert after.version == visit.version + 2  # assessment recorded, plan proposed: one save
    assert regimen.plan(plan_id).from_visit_id == visit.id


def test_a_refused_proposal_leaves_the_assessment_unrecorded_to_send_again(
    regimen: Regimen,
) -> None:
    clinic, visit = booked(regimen)
    started = NOW + timedelta(days=7, hours=2, minutes=15)
    theirs = proposal(
        clinic, assessment=ASSESSMENT, client_id=clinic.other_client_id, from_visit_id=visit.id
    )

    with pytest.raises(RuleViolated):
        regimen.assess_visit(
            visit.id, ASSESSMENT, proposal=PlanProposal(**theirs), actor=THERAPIST, now=started
        )
    assert regimen.visit(visit.id).assessment is None

    regimen.assess_visit(visit.id, ASSESSMENT, proposal=None, actor=THERAPIST, now=started)
    again = regimen.visit(visit.id)
    regimen.assess_visit(visit.id, ASSESSMENT, proposal=None, actor=THERAPIST, now=started)
    assert regimen.visit(visit.id).version == again.version  # the same assessment: not twice


def test_a_visit_is_not_assessed_before_it_starts(regimen: Regimen) -> None:
    _, visit = booked(regimen)
    with pytest.raises(SessionStateError, match="has not started yet"):
        regimen.assess_visit(visit.id, ASSESSMENT, proposal=None, actor=THERAPIST, now=NOW)


def test_the_chart_of_a_visit_or_a_plan_is_read_once(
    regimen: Regimen, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic, visit = booked(regimen)
    plan_id = agreed_plan(regimen, clinic)
    reads: list[object] = []
    get_many = regimen.recent.get_many
    monkeypatch.setattr(
        regimen.recent, "get_many", lambda ids, **kw: reads.append(ids) or get_many(ids, **kw)
    )

    assert isinstance(regimen.chart_of(visit.id), Visit)
    assert regimen.chart_of(plan_id).id == plan_id

    assert len(reads) == 2  # one read each, whichever kind of record it is
