"""Visits outside a plan on the superbill: billed beside the plans' sessions, by date of
service, under the plan an assessment led to or else self-pay; only what was performed."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.billing_units import ProcedureMinutes
from service.domain.values import Performance
from service.domain.visit import VisitKind
from tests.api.helpers import Headers
from tests.api.test_superbill import (  # billed_march: the plan's fixture, shared
    billed_march,  # noqa: F401
    billed_plan,
    identify_clinic,
    pdf_text,
    superbill,
)
from tests.builders import DESK, THERAPIST, Clinic, visit_booking
from tests.fakes import FixedClock

BOOKED_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # before every visit below


def done(**codes: int) -> Performance:
    """A record of a massage with minutes per procedure code (`cpt97124=45`)."""
    procedures = tuple(ProcedureMinutes(c.removeprefix("cpt"), m) for c, m in codes.items())
    return Performance(("effleurage",), ("neck",), 60, 6, procedures=procedures)


def booked_visit(regimen: Regimen, clinic: Clinic, local: str, kind: VisitKind) -> UUID:
    """A visit of Cora's with Ada at a London wall time, booked ahead."""
    return regimen.book_visit(visit_booking(clinic, local, kind), actor=DESK, now=BOOKED_AT).id


def performed_visit(
    regimen: Regimen, clinic: Clinic, local: str, kind: VisitKind = VisitKind.SINGLE, **codes: int
) -> UUID:
    """A visit booked and performed with minutes per procedure code; its id."""
    visit_id = booked_visit(regimen, clinic, local, kind)
    over = datetime.fromisoformat(local).replace(tzinfo=UTC) + timedelta(hours=2)
    regimen.perform_visit(visit_id, done(**codes), actor=THERAPIST, now=over)
    return visit_id


def json_lines(client: FlaskClient, clinic: Clinic, auth: Headers) -> dict[str, Any]:
    answer = superbill(client, clinic, auth, "application/json")
    assert answer.status_code == 200, answer.get_json()
    return dict(answer.get_json())


@pytest.mark.usefixtures("billed_march")
def test_a_single_visit_is_billed_beside_the_plans_sessions_with_no_payer(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    visit_id = performed_visit(regimen, clinic, "2026-03-12T10:00", cpt97124=45)

    bill = json_lines(client, clinic, auth)

    fields = ("service_date", "code", "minutes", "units", "charge", "visit_id")
    assert [tuple(x[f] for f in fields) for x in bill["lines"]] == [
        ("2026-03-09", "97124", 40, 3, 10500, None),
        ("2026-03-09", "97140", 20, 1, 4000, None),
        ("2026-03-12", "97124", 45, 3, None, str(visit_id)),  # the visit's own 8-minute rule
        ("2026-03-16", "97124", 53, 4, 14000, None),
    ]
    visit_line = bill["lines"][2]
    assert (visit_line["plan_id"], visit_line["session"]) == (None, None)
    assert [x["coverage_plan_id"] for x in bill["lines"]] == [
        x["plan_id"] for x in bill["lines"]
    ]  # the plan's sessions under its coverage; the visit self-pay (null)
    assert (visit_line["payer"], visit_line["authorization"], visit_line["unit_fee"]) == (
        "",
        "",
        None,
    )
    assert (visit_line["provider"], visit_line["diagnosis_codes"]) == ("Ada Therapist", [])
    assert len(bill["coverages"]) == 1  # the plan's; the visit has none
    assert bill["totals"] | {"charges": None} == {
        "lines": 4,
        "units": 11,
        "charges": None,
        "lines_without_fee": 1,
    }
    assert bill["totals"]["charges"] == [{"currency": "USD", "amount": 28500}]


def test_an_assessment_that_led_to_the_plan_is_billed_under_the_plans_coverage(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    identify_clinic(client, auth)
    visit_id = performed_visit(
        regimen, clinic, "2026-03-02T10:00", VisitKind.ASSESSMENT, cpt97140=30
    )
    plan_id = billed_plan(client, clinic, auth, clock, from_visit_id=str(visit_id))

    bill = json_lines(client, clinic, auth)

    first = bill["lines"][0]
    assert (first["service_date"], first["visit_id"], first["plan_id"]) == (
        "2026-03-02",
        str(visit_id),
        None,
    )
    assert (first["code"], first["units"], first["unit_fee"], first["charge"]) == (
        "97140",
        2,
        4000,
        8000,
    )
    assert (first["payer"], first["authorization"], first["currency"]) == (
        "Acme Health",
        "AUTH-7",
        "USD",
    )
    assert first["diagnosis_codes"] == ["M54.2", "M62.838"]
    assert [c["plan_id"] for c in bill["coverages"]] == [plan_id]
    assert {x["coverage_plan_id"] for x in bill["lines"]} == {plan_id}  # the visit's line too
    assert bill["totals"]["charges"] == [{"currency": "USD", "amount": 28500 + 8000}]


def test_a_corrected_visit_is_billed_as_corrected(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    visit_id = performed_visit(regimen, clinic, "2026-03-12T10:00", cpt97124=45)
    regimen.amend_visit_record(
        visit_id,
        performance=done(cpt97140=30),
        reason="it was manual therapy",
        actor=THERAPIST,
        now=datetime(2026, 3, 12, 13, 0, tzinfo=UTC),
    )

    bill = json_lines(client, clinic, auth)

    assert [(x["code"], x["minutes"], x["units"]) for x in bill["lines"]] == [("97140", 30, 2)]


def test_only_visits_performed_in_the_period_are_billed_and_one_without_codes_is_listed(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    booked_visit(regimen, clinic, "2026-03-03T10:00", VisitKind.SINGLE)  # never performed
    cancelled = booked_visit(regimen, clinic, "2026-03-04T10:00", VisitKind.SINGLE)
    regimen.cancel_visit(cancelled, reason="ill", actor=DESK, now=BOOKED_AT)
    missed = booked_visit(regimen, clinic, "2026-03-05T10:00", VisitKind.FOLLOW_UP)
    regimen.record_visit_no_show(missed, actor=DESK, now=datetime(2026, 3, 5, 11, tzinfo=UTC))
    performed_visit(regimen, clinic, "2026-04-02T10:00", cpt97124=60)  # after March
    performed_visit(regimen, clinic, "2026-03-06T10:00")  # recorded without codes

    bill = json_lines(client, clinic, auth)

    assert bill["lines"] == [] and bill["coverages"] == []
    assert bill["uncoded_dates"] == ["2026-03-06"]


@pytest.mark.usefixtures("billed_march")
def test_the_csv_names_the_visit_and_leaves_its_plan_and_session_empty(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    visit_id = performed_visit(regimen, clinic, "2026-03-12T10:00", cpt97124=45)

    sheet = superbill(client, clinic, auth, "text/csv").get_data(as_text=True)

    header, *_ = sheet.splitlines()
    assert header.endswith(",diagnosis_codes,visit_id,coverage_plan_id")  # positions kept
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert [(x["service_date"], x["plan_id"] != "", x["session"], x["visit_id"]) for x in rows] == [
        ("2026-03-09", True, "1", ""),
        ("2026-03-09", True, "1", ""),
        ("2026-03-12", False, "", str(visit_id)),
        ("2026-03-16", True, "2", ""),
    ]
    assert [x["coverage_plan_id"] for x in rows] == [x["plan_id"] for x in rows]
    assert (rows[2]["payer"], rows[2]["unit_fee"], rows[2]["charge"]) == ("", "", "")


@pytest.mark.usefixtures("billed_march")
def test_the_pdf_lists_the_visit_among_the_dates_of_service_as_self_pay(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    performed_visit(regimen, clinic, "2026-03-12T10:00", cpt97124=45)

    pdf = superbill(client, clinic, auth, "application/pdf")

    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    rows = re.findall(r"(2026-\d\d-\d\d) (971\d\d) Ada Therapist (\d+) (\d+)", text)
    assert [day for day, *_ in rows] == ["2026-03-09", "2026-03-09", "2026-03-12", "2026-03-16"]
    assert rows[2] == ("2026-03-12", "97124", "45", "3")
    assert "Visits outside a plan 2026-03-12 Payer none recorded (self-pay)" in text
    assert "AUTH-7" in text and "Total units 11" in text


def test_the_desks_reading_is_logged_against_the_visit(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    visit_id = performed_visit(regimen, clinic, "2026-03-12T10:00", cpt97124=45)

    assert superbill(client, clinic, auth, "text/csv").status_code == 200

    day = clock().date()
    views = regimen.access_log(visit_id, day, day)
    assert ("front_desk", "superbill") in [(v.actor.role.value, v.record) for v in views]
