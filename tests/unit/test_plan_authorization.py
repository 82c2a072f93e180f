"""TreatmentPlan and the insurer's authorization: visits, expiry, overrides, warnings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from service.domain.billing_units import ProcedureMinutes
from service.domain.errors import AuthorizationExceeded
from service.domain.plan import TreatmentPlan
from service.domain.values import Authorization
from tests.plans import (
    DESK,
    LATER,
    SYSTEM,
    THERAPIST,
    agreed_plan,
    at,
    authorization,
    book,
    booked_plan,
    cancel,
    performance,
    reschedule,
    utc,
    weekly,
)


def test_booking_beyond_the_authorized_visits_is_refused() -> None:
    plan = booked_plan(sessions=2, authorization=authorization(visits=2))

    with pytest.raises(AuthorizationExceeded):
        book(plan, at(2026, 3, 23, 10))
    assert len(plan.sessions) == 2


def test_an_override_reason_books_beyond_the_visits_and_is_recorded() -> None:
    plan = booked_plan(sessions=2, authorization=authorization(visits=2))

    number = book(plan, at(2026, 3, 23, 10), override="  payer approved by phone  ")

    assert plan.session(number).authorization_override == "payer approved by phone"
    assert plan.session(1).authorization_override == ""


def test_a_blank_override_reason_is_no_override() -> None:
    plan = booked_plan(sessions=2, authorization=authorization(visits=2))

    with pytest.raises(AuthorizationExceeded):
        book(plan, at(2026, 3, 23, 10), override="   ")


def test_a_session_on_the_last_authorized_day_is_accepted() -> None:
    plan = agreed_plan(authorization=authorization(valid_until=date(2026, 3, 9)))

    assert book(plan, at(2026, 3, 9, 18)) == 1


def test_a_session_after_the_authorization_expires_is_refused() -> None:
    plan = agreed_plan(authorization=authorization(valid_until=date(2026, 3, 9)))

    with pytest.raises(AuthorizationExceeded):
        book(plan, at(2026, 3, 10, 9))


def test_an_override_reason_books_after_the_authorization_expires() -> None:
    plan = agreed_plan(authorization=authorization(valid_until=date(2026, 3, 9)))

    number = book(plan, at(2026, 3, 10, 9), override="renewal requested")

    assert plan.session(number).authorization_override == "renewal requested"


def test_a_plan_without_authorization_books_at_any_date() -> None:
    plan = agreed_plan(authorization=None)

    assert book(plan, at(2027, 1, 4, 10)) == 1


def _cancel_first(plan: TreatmentPlan, *, late: bool, counts: bool) -> None:
    notice = timedelta(hours=2) if late else timedelta(days=3)
    cancel(plan, plan.session(1).time.start - notice, counts=counts)


def test_a_counted_late_cancel_uses_up_an_authorized_visit() -> None:
    plan = booked_plan(sessions=1, authorization=authorization(visits=2))
    _cancel_first(plan, late=True, counts=True)
    book(plan, at(2026, 3, 16, 10))

    with pytest.raises(AuthorizationExceeded):
        book(plan, at(2026, 3, 23, 10))


def test_an_early_cancel_gives_the_authorized_visit_back() -> None:
    plan = booked_plan(sessions=1, authorization=authorization(visits=2))
    _cancel_first(plan, late=False, counts=True)

    assert [book(plan, at(2026, 3, day, 10)) for day in (16, 23)] == [2, 3]


def test_a_counted_no_show_uses_up_an_authorized_visit() -> None:
    plan = booked_plan(sessions=1, authorization=authorization(visits=2))
    plan.record_no_show(1, now=utc(2026, 3, 9, 10, 30), no_show_counts=True, actor=DESK)
    book(plan, at(2026, 3, 16, 10))

    assert plan.authorized_visits_used == 2
    with pytest.raises(AuthorizationExceeded):
        book(plan, at(2026, 3, 23, 10))


def test_rescheduling_after_the_authorization_expires_needs_an_override() -> None:
    plan = booked_plan(authorization=authorization(valid_until=date(2026, 3, 20)))

    with pytest.raises(AuthorizationExceeded):
        reschedule(plan, 1, at(2026, 3, 21, 10))
    reschedule(plan, 1, at(2026, 3, 21, 10), override="renewal pending")

    assert plan.session(1).authorization_override == "renewal pending"


def test_rescheduling_within_used_up_visits_needs_no_override() -> None:
    plan = booked_plan(sessions=2, authorization=authorization(visits=2))

    assert reschedule(plan, 2, at(2026, 3, 17, 10)).time == at(2026, 3, 17, 10)


def test_the_visits_left_count_booked_performed_and_counted_sessions() -> None:
    plan = booked_plan(sessions=2, authorization=authorization(visits=5))
    _cancel_first(plan, late=True, counts=True)

    assert (plan.authorized_visits_used, plan.authorized_visits_left) == (2, 3)


def test_a_plan_without_authorization_has_no_visits_left_count() -> None:
    assert booked_plan(authorization=None).authorized_visits_left is None


def test_visits_left_never_go_below_zero_after_overrides() -> None:
    plan = booked_plan(sessions=1, authorization=authorization(visits=1))
    book(plan, at(2026, 3, 16, 10), override="payer approved")

    assert plan.authorized_visits_left == 0


def test_a_running_out_authorization_is_warned_about_once() -> None:
    plan = booked_plan(sessions=1, authorization=authorization(visits=2))
    plan.collect_events()

    assert plan.warn_authorization(SYSTEM) is True
    assert plan.warn_authorization(SYSTEM) is False

    (warned,) = plan.collect_events()
    assert type(warned).__name__ == "AuthorizationRunningOut"
    assert (warned.visits_left, warned.valid_until, warned.actor) == (1, date(2026, 3, 31), SYSTEM)


def test_no_warning_without_an_authorization_or_on_a_closed_plan() -> None:
    closed = booked_plan(authorization=authorization())
    closed.cancel(reason="moved away", actor=DESK)
    closed.collect_events()

    assert booked_plan(authorization=None).warn_authorization(SYSTEM) is False
    assert closed.warn_authorization(SYSTEM) is False
    assert closed.collect_events() == []


# --- units ----------------------------------------------------------------


def in_units(units: int) -> Authorization:
    """An authorization of ten visits and this many 15-minute units."""
    return replace(authorization(visits=10, valid_until=date(2026, 12, 31)), units=units)


def test_a_booked_hour_plans_four_units_and_a_fifth_hour_is_beyond_sixteen() -> None:
    plan = booked_plan(sessions=4, authorization=in_units(16), series=weekly(6))

    with pytest.raises(AuthorizationExceeded, match="covers 16 units and 0 are left"):
        book(plan, at(2026, 4, 6, 10))
    assert (plan.authorized_units_used, plan.authorized_units_left) == (16, 0)


def test_a_performed_session_counts_the_units_it_billed_not_those_planned() -> None:
    plan = booked_plan(sessions=1, authorization=in_units(16))
    coded = performance(procedures=(ProcedureMinutes("97124", 20),))  # 1 unit of 4 planned

    plan.perform_session(1, performance=coded, actor=THERAPIST, now=LATER)

    assert plan.authorized_units_used == 1


def test_a_late_cancel_counts_its_planned_units_only_when_it_counts() -> None:
    counted = booked_plan(sessions=1, authorization=in_units(16))
    forgiven = booked_plan(sessions=1, authorization=in_units(16))

    cancel(counted, utc(2026, 3, 9, 9), counts=True)
    cancel(forgiven, utc(2026, 3, 9, 9), counts=False)

    assert (counted.authorized_units_used, forgiven.authorized_units_used) == (4, 0)


def test_an_authorization_in_visits_only_leaves_units_uncounted() -> None:
    plan = booked_plan(sessions=2, authorization=authorization(visits=2))

    assert plan.authorized_units_left is None


def test_the_running_out_warning_says_how_many_units_are_left() -> None:
    plan = booked_plan(sessions=3, authorization=in_units(16))
    plan.collect_events()

    plan.warn_authorization(SYSTEM)

    (warned,) = plan.collect_events()
    assert (warned.visits_left, warned.units_left) == (7, 4)  # type: ignore[attr-defined]
