"""The pages with an authorization in units only: the assess form takes it without visits,
the authorization report and the chart say its units and no visits, and My day lists it
as running out by its units or its end date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.payer import AuthorizationCount
from service.domain.plan import TreatmentPlan
from tests.api.helpers import book
from tests.builders import ACME_TERMS, ADMIN, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.plans import units_only
from tests.web.conftest import Desk, missing, signed_in, text
from tests.web.forms import filled
from tests.web.test_assess_coverage import COVERED
from tests.web.test_my_day import section

UNITS_TERMS = replace(ACME_TERMS, name="Acme Units", counts=AuthorizationCount.UNITS)


@pytest.fixture
def units_payer(regimen: Regimen) -> UUID:
    """Acme Units, counting units only."""
    return regimen.register_payer(UNITS_TERMS, actor=ADMIN)


@pytest.fixture
def units_plan(regimen: Regimen, clinic: Clinic, clock: FixedClock, units_payer: UUID) -> UUID:
    """Cora's plan authorized for 40 units and no visits, 9 and 16 March booked (8 units)."""
    plan_id = agreed_plan(regimen, clinic, authorization=units_only(40, units_payer))
    for day in ("09", "16"):
        book(regimen, plan_id, f"2026-03-{day}T10:00", clock.now)
    return plan_id


def test_the_report_shows_units_only_where_the_visits_would_be(
    desk: Desk, units_plan: UUID
) -> None:
    page = text(desk.get("/authorizations"))

    row = page.split("AUTH-U", 1)[1].split("</tr>", 1)[0]
    assert '<td class="muted one-count" colspan="4">units only</td>' in row
    numbers = [cell.split("<")[0] for cell in row.split('class="num">')[1:]]
    assert numbers == ["40", "8", "0", "", "0"]  # units left in <strong>, then uncoded
    assert "<strong>32</strong>" in row and "None" not in row


def test_the_chart_says_the_units_used_and_no_visits(
    therapist: Desk, clinic: Clinic, units_plan: UUID
) -> None:
    page = text(therapist.get(f"/charts/{clinic.client_id}"))

    shown = page.split("<dt>Authorization</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert shown == (
        "Acme Units AUTH-U: 8 of 40 units used (booked ones included), valid until 31 Dec 2026"
    )


def test_a_units_only_authorization_ending_soon_is_in_the_therapists_running_out_list(
    therapist: Desk, regimen: Regimen, clinic: Clinic, units_payer: UUID
) -> None:
    ending = replace(units_only(40, units_payer), valid_until=date(2026, 3, 13))
    agreed_plan(regimen, clinic, authorization=ending)  # today is 2 March

    running = section(text(therapist.get("/today")), "running-h")

    assert running.count('class="md-item"') == 1
    assert '<p class="md-why">The authorization is valid until 13 Mar 2026.</p>' in running


def test_a_units_only_authorization_near_its_last_units_is_in_the_running_out_list(
    therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock, units_payer: UUID
) -> None:
    plan_id = agreed_plan(regimen, clinic, authorization=units_only(8, units_payer))
    book(regimen, plan_id, "2026-03-09T10:00", clock.now)  # an hour: 4 of the 8 units

    running = section(text(therapist.get("/today")), "running-h")

    assert running.count('class="md-item"') == 1
    assert '<p class="md-why">4 authorized units left of 8.</p>' in running


def test_a_units_only_authorization_with_units_to_spare_is_not_running_out(
    therapist: Desk, units_plan: UUID
) -> None:
    running = section(text(therapist.get("/today")), "running-h")  # 32 of 40 units left

    assert "None of your plans is running out." in running
    assert 'class="md-item"' not in running


@pytest.fixture
def assessing(
    client: FlaskClient, tokens: dict[str, str], visit_id: UUID, units_payer: UUID
) -> Desk:
    """Ada assessing Cora's visit, with Acme Units registered."""
    return signed_in(client, tokens["therapist"])


def test_a_units_only_payers_authorization_is_proposed_with_the_visits_left_empty(
    assessing: Desk, regimen: Regimen, visit_id: UUID, units_payer: UUID
) -> None:
    form = {**COVERED, "authorization_visits": "", "authorization_payer_id": str(units_payer)}

    page = text(assessing.get(f"/visits/{visit_id}/assess"))
    saved = assessing.post(f"/visits/{visit_id}/assess", filled(**form))

    assert "Leave empty when the registered payer authorizes units only." in page
    assert saved.status_code == 302, text(saved)
    plan_id = regimen.visit(visit_id).plan_id
    assert plan_id is not None
    authorization = regimen.load(TreatmentPlan, plan_id).authorization
    assert authorization is not None
    assert (authorization.visits, authorization.units) == (None, 24)


def test_visits_left_empty_are_refused_unless_the_payer_counts_units_only(
    assessing: Desk, regimen: Regimen, visit_id: UUID
) -> None:
    counting_visits = regimen.register_payer(ACME_TERMS, actor=ADMIN)
    empty = {**COVERED, "authorization_visits": ""}

    registered = assessing.post(
        f"/visits/{visit_id}/assess",
        filled(**empty, authorization_payer_id=str(counting_visits)),
    )
    typed = assessing.post(
        f"/visits/{visit_id}/assess", filled(**empty, authorization_payer="Local Mutual")
    )

    assert "Acme Health authorizes visits: give the authorization" in text(registered)
    assert registered.status_code == 409  # as any refusal of the terms (see test_assess_coverage)
    assert typed.status_code == 422
    assert missing(text(typed), "Enter the visits authorized (1 to 1000).") == []
    assert regimen.visit(visit_id).plan_id is None
