"""The superbill over HTTP: one set of lines as PDF, CSV and JSON, for the admin and the desk."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from service.application import Regimen
from tests.api.helpers import Headers, assert_problem, proposal_body
from tests.api.test_insurance_units import book, perform
from tests.api.test_payers import ACME
from tests.builders import Clinic
from tests.fakes import FixedClock

API = "/api/v1"
ARTIFACTS = Path("test-artifacts") / "reports"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def identify_clinic(client: FlaskClient, auth: Headers) -> None:
    """Give the clinic its NPI and tax id (the other settings as they are)."""
    settings = client.get(f"{API}/clinic", headers=auth["admin"]).get_json()
    for key in ("version", "closures"):
        settings.pop(key)
    body = {**settings, "npi": "1234567893", "tax_id": "12-3456789"}
    answer = client.put(f"{API}/clinic", json=body, headers=auth["admin"])
    assert answer.status_code == 200, answer.get_json()


def billed_plan(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock, **proposal: Any
) -> str:
    """Acme (per-code rule, $35 a unit of 97124, $40 of 97140) authorizes a prescribed
    plan (proposed with `proposal`'s fields too); two March sessions and one April session
    are performed with codes."""
    payer_id = client.post(f"{API}/payers", json=ACME, headers=auth["admin"]).get_json()["id"]
    authorization = {
        "payer": "Acme Health",
        "payer_id": payer_id,
        "number": "AUTH-7",
        "visits": 10,
        "units": 40,
        "valid_until": "2026-12-31",
    }
    prescription = {
        "physician": "Dr Amal Haddad",
        "issued_on": "2026-03-02",
        "notes": "massage for a stiff neck",
        "diagnosis_codes": ["M54.2", "M62.838"],
    }
    body = proposal_body(clinic, authorization=authorization, prescription=prescription, **proposal)
    plan_id: str = client.post(f"{API}/plans", json=body, headers=auth["therapist"]).get_json()[
        "id"
    ]
    client.post(f"{API}/plans/{plan_id}/agree", headers=auth["front_desk"])
    for day in ("2026-03-09", "2026-03-16", "2026-04-06"):
        assert book(client, plan_id, auth, f"{day}T10:00").status_code == 201
    clock.now = datetime.fromisoformat("2026-04-06T11:00+00:00")
    assert perform(client, plan_id, 1, auth, cpt97124=40, cpt97140=20).status_code == 200
    assert perform(client, plan_id, 2, auth, cpt97124=53, cpt97140=7).status_code == 200
    assert perform(client, plan_id, 3, auth, cpt97124=60).status_code == 200
    return plan_id


def superbill(client: FlaskClient, clinic: Clinic, auth: Headers, accept: str, **query: str) -> Any:
    return client.get(
        f"{API}/clients/{clinic.client_id}/superbill",
        query_string=query or MARCH,
        headers={**auth["front_desk"], "Accept": accept},
    )


@pytest.fixture
def billed_march(client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock) -> str:
    """The clinic identified for billing, and Cora's plan billed in March; the plan's id."""
    identify_clinic(client, auth)
    return billed_plan(client, clinic, auth, clock)


@pytest.mark.usefixtures("billed_march")
def test_the_json_lines_bill_each_code_of_each_march_session_at_the_payers_fees(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    answer = superbill(client, clinic, auth, "application/json")

    assert answer.status_code == 200, answer.get_json()
    bill = answer.get_json()
    assert bill["clinic"] | {"name": ""} == {
        "name": "",
        "npi": "1234567893",
        "tax_id": "12-3456789",
    }
    assert [(x["service_date"], x["code"], x["units"], x["charge"]) for x in bill["lines"]] == [
        ("2026-03-09", "97124", 3, 10500),
        ("2026-03-09", "97140", 1, 4000),
        ("2026-03-16", "97124", 4, 14000),  # 7 minutes of 97140 bill nothing: no line
    ]
    (coverage,) = bill["coverages"]
    assert coverage["diagnosis_codes"] == ["M54.2", "M62.838"]
    assert (coverage["payer"], coverage["authorization"]) == ("Acme Health", "AUTH-7")
    assert bill["totals"]["units"] == 8
    assert bill["totals"]["charges"] == [{"currency": "USD", "amount": 28500}]
    assert "massage for a stiff neck" not in answer.get_data(as_text=True)  # no clinical text


def pdf_text(data: bytes) -> str:
    """The PDF's text, every run of white space (line breaks in table cells) as one space."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.mark.usefixtures("billed_march")
def test_the_pdf_lists_each_date_of_service_with_its_codes_and_units_and_the_csv_agrees(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    pdf = superbill(client, clinic, auth, "application/pdf")
    sheet = superbill(client, clinic, auth, "text/csv")

    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "superbill.pdf").write_bytes(pdf.data)  # for people to look at
    text = pdf_text(pdf.data)
    rows = re.findall(r"(2026-\d\d-\d\d) (971\d\d) Ada Therapist (\d+) (\d+)", text)
    assert rows == [
        ("2026-03-09", "97124", "40", "3"),
        ("2026-03-09", "97140", "20", "1"),
        ("2026-03-16", "97124", "53", "4"),
    ]
    assert "2026-04-06" not in text  # April is outside the period
    assert "1234567893" in text and "12-3456789" in text and "Cora Client" in text
    assert "M54.2, M62.838" in text and "AUTH-7" in text and "Dr Amal Haddad" in text
    units = re.search(r"Total units (\d+)", text)
    charges = re.search(r"Total charges \(USD\) ([\d.]+) USD", text)
    assert units is not None and charges is not None

    assert sheet.status_code == 200 and sheet.mimetype == "text/csv"
    lines = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert [(x["service_date"], x["code"], x["units"]) for x in lines] == [
        (day, code, unit) for day, code, _, unit in rows
    ]
    assert sum(int(x["units"]) for x in lines) == int(units.group(1)) == 8
    assert sum(Decimal(x["charge"]) for x in lines) == Decimal(charges.group(1)) == Decimal("285")


def test_bad_dates_are_refused_with_a_problem(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    backwards = superbill(
        client, clinic, auth, "text/csv", **{"from": "2026-03-31", "to": "2026-03-01"}
    )
    not_a_date = superbill(
        client, clinic, auth, "text/csv", **{"from": "March", "to": "2026-03-01"}
    )
    too_long = superbill(
        client, clinic, auth, "text/csv", **{"from": "2026-01-01", "to": "2027-06-01"}
    )

    assert_problem(backwards, 422, "ends (2026-03-01) before it starts")
    assert "from" in str(assert_problem(not_a_date, 422)["errors"])
    assert_problem(too_long, 422, "at most 366 days")


def test_a_therapist_may_not_read_it_and_the_desks_reading_is_logged(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = billed_plan(client, clinic, auth, clock)

    refused = client.get(
        f"{API}/clients/{clinic.client_id}/superbill",
        query_string=MARCH,
        headers=auth["therapist"],
    )
    assert superbill(client, clinic, auth, "text/csv").status_code == 200

    assert_problem(refused, 403)
    day = clock().date()
    views = regimen.access_log(UUID(plan_id), day, day)
    assert ("front_desk", "superbill") in [(v.actor.role.value, v.record) for v in views]


def test_a_mistyped_npi_is_refused_and_nothing_changes(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    settings = client.get(f"{API}/clinic", headers=auth["admin"]).get_json()
    body = {k: v for k, v in settings.items() if k not in ("version", "closures")}

    answer = client.put(f"{API}/clinic", json={**body, "npi": "1234567890"}, headers=auth["admin"])

    assert_problem(answer, 422, "check digit")
    assert client.get(f"{API}/clinic", headers=auth["admin"]).get_json()["npi"] == ""


def test_the_progress_report_names_the_prescriptions_diagnosis_codes_too(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = billed_plan(client, clinic, auth, clock)

    report = client.get(
        f"{API}/plans/{plan_id}/progress-report",
        headers={**auth["therapist"], "Accept": "text/html"},
    )

    assert "diagnoses (ICD-10) M54.2, M62.838" in report.get_data(as_text=True)
