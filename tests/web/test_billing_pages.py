"""The desk's billing pages: the authorization report and a client's superbill."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from uuid import UUID

import pytest

from service.application import Regimen
from service.domain.billing_units import ProcedureMinutes
from service.domain.values import Authorization, Performance
from tests.api.helpers import book
from tests.builders import ACME_TERMS, ADMIN, THERAPIST, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.web.conftest import Desk, missing, text

LATER_ON = datetime.fromisoformat("2026-03-20T12:00:00+00:00")


@pytest.fixture
def insured_plan(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> UUID:
    """Cora's plan, authorized by Acme for 10 visits and 24 units until 31 March 2026;
    9 March performed with 45 minutes of 97124 (3 units), 16 March booked (4 units)."""
    payer_id = regimen.register_payer(ACME_TERMS, actor=ADMIN)
    authorization = Authorization("Acme Health", "AUTH-9", 10, date(2026, 3, 31), payer_id, 24)
    plan_id = agreed_plan(regimen, clinic, authorization=authorization)
    for day in ("09", "16"):
        book(regimen, plan_id, f"2026-03-{day}T10:00", clock.now)
    performance = Performance(
        techniques=("Swedish massage",),
        areas=("neck",),
        duration_minutes=60,
        pain_before=6,
        procedures=(ProcedureMinutes("97124", 45),),
    )
    regimen.perform_session(plan_id, 1, performance=performance, actor=THERAPIST, now=LATER_ON)
    return plan_id


def test_the_report_shows_each_payers_plans_with_visits_and_units(
    desk: Desk, insured_plan: UUID
) -> None:
    page = text(desk.get("/authorizations?within=30"))

    assert (
        missing(page, "<h2", "Acme Health", "Cora Client", "AUTH-9", "31 Mar 2026", "expiring")
        == []
    )
    row = page.split("AUTH-9", 1)[1].split("</tr>", 1)[0]
    numbers = [cell.split("<")[0] for cell in row.split('class="num">')[1:]]
    assert numbers == ["10", "1", "1", "", "24", "4", "3", "", "0"]  # the left ones in <strong>
    assert "<strong>8</strong>" in row and "<strong>17</strong>" in row


def test_only_the_expiring_are_listed_when_asked_and_a_bad_number_is_explained(
    desk: Desk, insured_plan: UUID
) -> None:
    # today (the test clock) is 2 March 2026; the authorization ends on 31 March
    soon = text(desk.get("/authorizations?within=7&only=expiring"))
    bad = desk.get("/authorizations?within=lots")

    assert "AUTH-9" not in soon and "No open plan’s authorization ends within 7 days." in soon
    assert bad.status_code == 422 and "Enter a whole number from 0 to 366." in text(bad)


def test_the_report_and_the_superbill_are_the_desks_not_the_therapists(
    therapist: Desk, clinic: Clinic, insured_plan: UUID
) -> None:
    report = therapist.get("/authorizations")
    bill = therapist.get(f"/clients/{clinic.client_id}/superbill?from=2026-03-01&to=2026-03-31")
    client_page = text(therapist.get(f"/clients/{clinic.client_id}"))

    assert (report.status_code, bill.status_code) == (403, 403)
    assert "Make the superbill" not in client_page and "Authorizations</a>" not in client_page


def test_the_desk_makes_a_clients_superbill_as_csv_from_the_client_page(
    desk: Desk, clinic: Clinic, insured_plan: UUID
) -> None:
    client_page = text(desk.get(f"/clients/{clinic.client_id}"))
    sheet = desk.get(
        f"/clients/{clinic.client_id}/superbill?from=2026-03-01&to=2026-03-31&format=csv"
    )
    pdf = desk.get(f"/clients/{clinic.client_id}/superbill?from=2026-03-01&to=2026-03-31")

    assert missing(client_page, "Make the superbill", 'name="from"', "Authorizations</a>") == []
    assert sheet.status_code == 200 and sheet.mimetype == "text/csv"
    (line,) = csv.DictReader(io.StringIO(text(sheet)))
    assert (line["service_date"], line["code"], line["units"]) == ("2026-03-09", "97124", "3")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_bad_superbill_dates_show_the_client_page_with_the_problem(
    desk: Desk, clinic: Clinic, insured_plan: UUID
) -> None:
    backwards = desk.get(f"/clients/{clinic.client_id}/superbill?from=2026-03-31&to=2026-03-01")
    not_a_date = desk.get(f"/clients/{clinic.client_id}/superbill?from=soon&to=2026-03-01")

    assert backwards.status_code == 422
    assert "ends (2026-03-01) before it starts (2026-03-31)" in text(backwards)
    assert not_a_date.status_code == 422 and "Enter a date like 2026-03-16." in text(not_a_date)


def test_a_session_performed_without_codes_is_counted_as_uncoded(
    desk: Desk, regimen: Regimen, insured_plan: UUID
) -> None:
    regimen.perform_session(
        insured_plan,
        2,
        performance=Performance(("Swedish massage",), ("neck",), 60, 5),
        actor=THERAPIST,
        now=datetime.fromisoformat("2026-03-20T12:00:00+00:00"),
    )

    page = text(desk.get("/authorizations"))

    row = page.split("AUTH-9", 1)[1].split("</tr>", 1)[0]
    assert '<strong class="status st-proposed">1</strong>' in row
    numbers = [cell.split("<")[0] for cell in row.split('class="num">')[1:]]
    assert numbers[4:7] == ["24", "0", "7"]  # units used: 3 billed, 4 planned for the uncoded
