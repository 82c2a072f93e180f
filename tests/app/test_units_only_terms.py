"""An authorization under a payer that counts units only: the terms each kind of payer asks
of an authorization, the scheduler's warning, and the views that find such a plan, by its
end date or by its units, charged session by session as the plan counts them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.billing import check_authorization_terms
from service.application.commands import Slot
from service.application.housekeeping import AUTHORIZATION_WARNING_UNITS
from service.domain.billing_units import MASSAGE, ProcedureMinutes
from service.domain.errors import InvalidValue
from service.domain.payer import AuthorizationCount
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import (
    ACME_TERMS,
    ADMIN,
    DESK,
    THERAPIST,
    ZONE,
    Clinic,
    agreed_plan,
    small_clinic,
)
from tests.plans import performance, units_only

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def registered(regimen: Regimen, counts: AuthorizationCount) -> UUID:
    """The id of a payer named Acme Health counting `counts`."""
    return regimen.register_payer(replace(ACME_TERMS, counts=counts), actor=ADMIN)


def units_only_plans(regimen: Regimen, *units: int) -> tuple[Clinic, list[UUID]]:
    """The small clinic, and an agreed plan of its for each number of units, each under a
    payer counting units only."""
    clinic = small_clinic(regimen)
    payer_id = registered(regimen, AuthorizationCount.UNITS)
    plans = [agreed_plan(regimen, clinic, authorization=units_only(n, payer_id)) for n in units]
    return clinic, plans


@pytest.mark.parametrize(
    ("counts", "visits", "units", "refusal"),
    [
        (AuthorizationCount.UNITS, None, 40, None),
        (AuthorizationCount.UNITS, 6, 40, "authorizes units only: leave the visits out"),
        (AuthorizationCount.UNITS, None, None, "authorizes units: give the authorization's units"),
        (AuthorizationCount.BOTH, 6, 40, None),
        (AuthorizationCount.BOTH, None, 40, "authorizes visits: give the authorization's visits"),
        (AuthorizationCount.VISITS, 6, None, None),
        (AuthorizationCount.VISITS, None, None, "authorizes visits: give the authorization's"),
        (AuthorizationCount.VISITS, 6, 40, "authorizes visits only: leave the units out"),
    ],
)
def test_each_kind_of_payer_asks_for_the_counts_it_authorizes(
    regimen: Regimen,
    counts: AuthorizationCount,
    visits: int | None,
    units: int | None,
    refusal: str | None,
) -> None:
    payer_id = registered(regimen, counts)
    auth = replace(units_only(1, payer_id), visits=visits, units=units)

    if refusal is None:
        check_authorization_terms(regimen, auth)
    else:
        with pytest.raises(InvalidValue, match=f"^Acme Health {refusal}"):
            check_authorization_terms(regimen, auth)


def test_an_authorization_naming_no_registered_payer_must_give_its_visits(
    regimen: Regimen,
) -> None:
    with pytest.raises(InvalidValue, match="without a registered payer gives its visits"):
        check_authorization_terms(regimen, units_only(40))
    check_authorization_terms(regimen, replace(units_only(40), visits=6))


def test_the_scheduler_warns_of_a_units_only_authorization_by_its_units_alone(
    regimen: Regimen,
) -> None:
    _, (roomy, low) = units_only_plans(regimen, 99, 4)

    assert regimen.warn_expiring_authorizations(NOW, [roomy]) == 0  # no visits to run out of
    assert regimen.warn_expiring_authorizations(NOW, [low]) == 1
    warned = regimen.plan(low)
    assert (warned.authorized_visits_left, warned.authorized_units_left) == (None, 4)


def test_the_views_find_a_units_only_plan_among_those_with_an_authorization(
    regimen: Regimen,
) -> None:
    clinic = small_clinic(regimen)
    payer_id = registered(regimen, AuthorizationCount.UNITS)
    ending = replace(units_only(40, payer_id), valid_until=date(2026, 3, 10))
    plan_id = agreed_plan(regimen, clinic, authorization=ending)
    reads = ReadModel(Projector(regimen)).fresh()

    assert reads.open_plan_ids(with_authorization=True) == [plan_id]
    (row,) = reads.plans_running_out(str(clinic.therapist_id), date(2026, 3, 16), 1, 4)
    assert (row["plan_id"], row["auth_visits"]) == (str(plan_id), None)


def units_used_in_views(regimen: Regimen, plan_id: UUID) -> tuple[int, int]:
    """The plan's units authorized and charged, as the views that list plans count them."""
    row = ReadModel(Projector(regimen)).fresh().plan_summary(str(plan_id))
    assert row is not None
    return row["auth_units"], row["auth_units_used"]


def test_the_views_charge_each_session_the_units_the_plan_counts(regimen: Regimen) -> None:
    _, (plan_id,) = units_only_plans(regimen, 40)  # late cancels and no-shows count
    for day in (9, 16, 23, 30):  # four hours booked: 16 units
        slot = Slot(local_start=datetime(2026, 3, day, 10), zone=ZONE)
        regimen.book_session(plan_id, slot, actor=DESK, now=NOW)
    coded = performance(procedures=(ProcedureMinutes(MASSAGE, 40),))  # 3 units
    moment = datetime(2026, 3, 9, 11, tzinfo=UTC)
    regimen.perform_session(plan_id, 1, performance=coded, actor=THERAPIST, now=moment)
    regimen.cancel_sessions(plan_id, 3, reason="away", actor=DESK, now=moment)  # early: 0
    late = datetime(2026, 3, 16, 9, tzinfo=UTC)
    regimen.cancel_sessions(plan_id, 2, reason="ill", actor=DESK, now=late)  # late: 4
    no_show = datetime(2026, 3, 30, 10, tzinfo=UTC)
    regimen.record_no_show(plan_id, 4, actor=DESK, now=no_show)  # counted: 4

    assert units_used_in_views(regimen, plan_id) == (40, 11)
    assert regimen.plan(plan_id).authorized_units_used == 11
    # The codes taken out of session 1's record: it charges its planned 4 units again.
    regimen.amend_session_record(
        plan_id, 1, performance=performance(), reason="no codes", actor=THERAPIST, now=no_show
    )
    assert units_used_in_views(regimen, plan_id) == (40, 12)
    assert regimen.plan(plan_id).authorized_units_used == 12


def test_the_views_find_a_units_only_plan_near_its_last_units_not_one_with_units_to_spare(
    regimen: Regimen,
) -> None:
    clinic, (low, roomy) = units_only_plans(regimen, 8, 40)
    for plan_id, hour in ((low, 10), (roomy, 12)):  # an hour each: 4 units
        slot = Slot(local_start=datetime(2026, 3, 9, hour), zone=ZONE)
        regimen.book_session(plan_id, slot, actor=DESK, now=NOW)
    reads = ReadModel(Projector(regimen)).fresh()

    therapist = str(clinic.therapist_id)
    found = reads.plans_running_out(therapist, date(2026, 3, 15), 1, AUTHORIZATION_WARNING_UNITS)

    assert [row["plan_id"] for row in found] == [str(low)]
    assert (found[0]["auth_units"], found[0]["auth_units_used"]) == (8, 4)


def test_a_payer_that_starts_counting_units_counts_authorizations_given_before_as_given(
    regimen: Regimen,
) -> None:
    clinic = small_clinic(regimen)
    payer_id = registered(regimen, AuthorizationCount.VISITS)
    by_visits = replace(units_only(1, payer_id), visits=6, units=None)
    plan_id = agreed_plan(regimen, clinic, authorization=by_visits)
    regimen.change_payer(
        payer_id, replace(ACME_TERMS, counts=AuthorizationCount.UNITS), actor=ADMIN
    )
    slot = Slot(local_start=datetime(2026, 3, 9, 10), zone=ZONE)
    regimen.book_session(plan_id, slot, actor=DESK, now=NOW)
    moment = datetime(2026, 3, 9, 11, tzinfo=UTC)
    regimen.perform_session(plan_id, 1, performance=performance(), actor=THERAPIST, now=moment)

    (row,) = regimen.authorization_report([plan_id], today=date(2026, 3, 9), within_days=7)
    assert row.visits is not None and (row.visits.authorized, row.visits.used) == (6, 1)
    assert row.units is None  # the authorization gave visits, and is counted by them
    with pytest.raises(InvalidValue, match="authorizes units only: leave the visits out"):
        check_authorization_terms(regimen, by_visits)  # a new one follows the new terms
