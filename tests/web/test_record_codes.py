"""Procedure codes on the therapist's record: minutes per code, first filled in from the
plan's modalities, and the units they bill under the plan payer's rule shown after saving."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.billing_units import ProcedureUnits, UnitRule
from service.domain.payer import Fee
from service.domain.values import Authorization
from tests.builders import ACME_TERMS, ADMIN, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.web.conftest import Desk, signed_in, text
from tests.web.forms import record_url, soap
from tests.web.visits import book_tuesdays

PER_CODE_TERMS = ACME_TERMS.__class__(
    **{
        **ACME_TERMS.__dict__,
        "unit_rule": UnitRule.PER_CODE_8_MINUTE,
        "fees": (Fee("97124", 3500), Fee("S8950", 2000)),  # S8950: the clinic's own code
    }
)


def insured(regimen: Regimen, clinic: Clinic, clock: FixedClock, units: int) -> UUID:
    """Cora's Swedish massage plan, authorized for `units` by a payer on the per-code rule;
    six hour-long Tuesdays (24 units) booked from 3 March, the clock at noon that day."""
    payer_id = regimen.register_payer(PER_CODE_TERMS, actor=ADMIN)
    authorization = Authorization("Acme Health", "A-1", 10, date(2026, 12, 31), payer_id, units)
    plan_id = agreed_plan(regimen, clinic, authorization=authorization)
    book_tuesdays(regimen, plan_id, clock)
    clock.now = datetime(2026, 3, 3, 12, tzinfo=clock.now.tzinfo)
    return plan_id


@pytest.fixture
def insured_series(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> UUID:
    """The plan, with 16 units left beyond those booked."""
    return insured(regimen, clinic, clock, 40)


@pytest.fixture
def therapist(client: FlaskClient, tokens: dict[str, str], insured_series: UUID) -> Desk:
    return signed_in(client, tokens["therapist"])


def codes(**minutes: str) -> dict[str, list[str]]:
    """The procedure rows as the form sends them: the four standard codes, the payer's own,
    and two free rows."""
    offered = ["97124", "97140", "97110", "97112", "S8950"]
    return {
        "proc_code": [*offered, "", ""],
        "proc_minutes": [minutes.get(f"cpt{c}", "") for c in offered] + ["", ""],
    }


def test_the_form_offers_each_code_with_the_minutes_the_plans_modalities_suggest(
    therapist: Desk, insured_series: UUID
) -> None:
    page = text(therapist.get(record_url(insured_series)))

    assert 'id="r-proc-97124" name="proc_minutes" type="number"' in page
    suggested = page.split('id="r-proc-97124"', 1)[1].split(">", 1)[0]
    assert 'value="60"' in suggested  # Swedish massage: the whole hour to 97124
    assert "97140 Manual therapy (minutes)" in page and "S8950 the clinic’s code" in page
    assert "Acme Health’s rule, the per-code 8-minute rule" in page


def test_the_saved_record_shows_the_units_each_code_billed_under_the_payers_rule(
    therapist: Desk, regimen: Regimen, insured_series: UUID
) -> None:
    form = soap(duration_minutes="40", **codes(cpt97110="33", cpt97140="7"))

    saved = therapist.post(record_url(insured_series), form)
    page = text(therapist.get(record_url(insured_series)))

    assert saved.status_code == 302, text(saved)
    assert regimen.plan(insured_series).session(1).billed == (  # in the form's order
        ProcedureUnits("97140", 7, 0),
        ProcedureUnits("97110", 33, 2),
    )
    assert "Codes billed, under Acme Health’s rule, the per-code 8-minute rule" in page
    table = page.split('class="list billed"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">97110</th><td class="num">33</td><td class="num">2</td>' in table
    assert '<th scope="row">97140</th><td class="num">7</td><td class="num">0</td>' in table


def test_minutes_that_are_not_a_number_or_a_code_without_minutes_are_explained(
    therapist: Desk, regimen: Regimen, insured_series: UUID
) -> None:
    bad = therapist.post(record_url(insured_series), soap(**codes(cpt97124="lots")))
    nameless = therapist.post(
        record_url(insured_series),
        soap(proc_code=["97124", ""], proc_minutes=["", "20"]),
    )

    assert bad.status_code == 422 and "97124: give the code and 1–240 minutes." in text(bad)
    assert nameless.status_code == 422 and "A row: give the code" in text(nameless)
    assert regimen.plan(insured_series).session(1).performance is None


def test_codes_billing_beyond_the_authorization_are_saved_only_with_a_reason(
    client: FlaskClient, tokens: dict[str, str], regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    plan_id = insured(regimen, clinic, clock, 24)  # every unit booked already
    therapist = signed_in(client, tokens["therapist"])
    two_hours = soap(duration_minutes="120", **codes(cpt97124="120"))  # 8 units, 4 more

    form_page = text(therapist.get(record_url(plan_id)))
    refused = therapist.post(record_url(plan_id), two_hours)
    saved = therapist.post(record_url(plan_id), {**two_hours, "authorization_override": "ok'd"})

    assert "The authorization has 0 units left beyond those booked" in form_page
    assert refused.status_code == 422 and "covers 24 units and 0 are left" in text(refused)
    assert saved.status_code == 302, text(saved)
    session = regimen.plan(plan_id).session(1)
    assert (session.authorization_override, sum(b.units for b in session.billed)) == ("ok'd", 8)
