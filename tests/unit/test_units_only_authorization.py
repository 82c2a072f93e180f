"""An authorization in units only (a payer that authorizes 15-minute units, not visits):
nothing counts or refuses by visits, units count and refuse as they always did."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from service.domain.authorization_standing import Allowance, authorization_use, standing
from service.domain.errors import AuthorizationExceeded
from tests.plans import (
    SYSTEM,
    at,
    authorization,
    book,
    booked_plan,
    cancel,
    units_only,
    utc,
    weekly,
)


def test_sessions_beyond_any_visit_count_are_booked_while_units_last() -> None:
    plan = booked_plan(sessions=4, authorization=units_only(40), series=weekly(10))

    assert book(plan, at(2026, 4, 6, 10)) == 5  # five hours: 20 of 40 units
    assert plan.authorized_visits_left is None
    assert (plan.authorized_units_used, plan.authorized_units_left) == (20, 20)


def test_a_session_beyond_the_units_is_still_refused() -> None:
    plan = booked_plan(sessions=2, authorization=units_only(8), series=weekly(6))

    with pytest.raises(AuthorizationExceeded, match="covers 8 units and 0 are left") as refused:
        book(plan, at(2026, 3, 23, 10))
    assert "visits" not in str(refused.value)
    assert len(plan.sessions) == 2


def test_a_session_after_a_units_only_authorization_ends_is_refused() -> None:
    plan = booked_plan(sessions=1, authorization=units_only(40))

    with pytest.raises(AuthorizationExceeded, match="valid until 2026-12-31"):
        book(plan, at(2027, 1, 4, 10))


def test_the_standing_of_a_units_only_authorization_has_units_and_no_visits() -> None:
    plan = booked_plan(sessions=3, authorization=units_only(40), series=weekly(6))
    cancel(plan, utc(2026, 3, 9, 9), number=1, counts=True)  # late, counted: 4 units

    row = standing(plan, date(2026, 3, 9), within_days=30)

    assert row is not None
    assert row.visits is None
    assert row.units == Allowance(authorized=40, booked=8, used=4)
    assert row.units.remaining == 28


def test_the_running_out_warning_of_a_units_only_authorization_names_no_visits() -> None:
    plan = booked_plan(sessions=3, authorization=units_only(16))
    plan.collect_events()

    assert plan.warn_authorization(SYSTEM) is True

    (warned,) = plan.collect_events()
    assert (warned.visits_left, warned.units_left) == (None, 4)  # type: ignore[attr-defined]


def test_the_use_of_an_authorization_is_said_in_the_counts_it_gives() -> None:
    in_units = booked_plan(sessions=3, authorization=units_only(40))
    in_visits = booked_plan(sessions=1, authorization=authorization(visits=2))
    in_both = booked_plan(sessions=1, authorization=replace(units_only(40), visits=6))

    assert authorization_use(in_units) == "12 of 40 units used"
    assert authorization_use(in_visits) == "1 of 2 visits used"
    assert authorization_use(in_both) == "1 of 6 visits and 4 of 40 units used"
    assert authorization_use(booked_plan(authorization=None)) == ""
