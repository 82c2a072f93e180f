"""An authorization under a payer that counts units only: the terms each kind of payer asks
of an authorization, the scheduler's warning, and the views that find such a plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.billing import check_authorization_terms
from service.domain.errors import InvalidValue
from service.domain.payer import AuthorizationCount
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import ACME_TERMS, ADMIN, agreed_plan, small_clinic
from tests.plans import units_only

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def registered(regimen: Regimen, counts: AuthorizationCount) -> UUID:
    """The id of a payer named Acme Health counting `counts`."""
    return regimen.register_payer(replace(ACME_TERMS, counts=counts), actor=ADMIN)


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
    clinic = small_clinic(regimen)
    payer_id = registered(regimen, AuthorizationCount.UNITS)
    roomy = agreed_plan(regimen, clinic, authorization=units_only(99, payer_id))
    low = agreed_plan(regimen, clinic, authorization=units_only(4, payer_id))

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
    (row,) = reads.plans_running_out(str(clinic.therapist_id), date(2026, 3, 16), 1)
    assert (row["plan_id"], row["auth_visits"]) == (str(plan_id), None)
