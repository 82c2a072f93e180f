"""Where a plan's authorization stands: counts of visits and units for the report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from service.domain.authorization_standing import Allowance, standing
from tests.plans import at, authorization, book, booked_plan, cancel, utc, weekly


def test_a_late_cancel_that_counts_is_used_and_one_that_does_not_is_not() -> None:
    auth = replace(authorization(visits=4, valid_until=date(2026, 6, 30)), units=16)
    plan = booked_plan(sessions=3, authorization=auth, series=weekly(6))
    cancel(plan, utc(2026, 3, 9, 9), number=1, counts=True)  # late, counted
    cancel(plan, utc(2026, 3, 9, 9), number=2, counts=True)  # a week ahead: not late

    row = standing(plan, date(2026, 3, 9), within_days=30)

    assert row is not None
    assert row.visits == Allowance(authorized=4, booked=1, used=1)
    assert row.units == Allowance(authorized=16, booked=4, used=4)
    assert row.expiring is False


def test_an_override_beyond_the_authorization_leaves_none_remaining_not_fewer() -> None:
    plan = booked_plan(sessions=2, authorization=authorization(visits=2))
    book(plan, at(2026, 3, 23, 10), override="payer agreed")

    row = standing(plan, date(2026, 3, 9), within_days=30)

    assert row is not None and row.visits.remaining == 0 and row.units is None
    assert row.expiring is True  # the authorization ends on 31 March


def test_a_plan_without_an_authorization_has_no_standing() -> None:
    assert standing(booked_plan(), date(2026, 3, 9), within_days=30) is None
