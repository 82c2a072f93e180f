"""The progress report, as HTML and as PDF: for therapists and auditors, and logged."""

from __future__ import annotations

import io
from pathlib import Path
from uuid import UUID

from flask.testing import FlaskClient
from pypdf import PdfReader

from service.application import Regimen
from tests.api.helpers import Headers
from tests.api.test_progress_measures import NDI_16, NDI_20, neck_plan, treat
from tests.builders import Clinic
from tests.fakes import FixedClock

API = "/api/v1"
ARTIFACTS = Path("test-artifacts") / "reports"


def report(client: FlaskClient, plan_id: str, auth: Headers, role: str, accept: str) -> object:
    return client.get(
        f"{API}/plans/{plan_id}/progress-report",
        headers={**auth[role], "Accept": accept},
    )


def test_the_pdf_names_the_client_each_measure_and_the_recommendation(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = neck_plan(client, clinic, auth)
    treat(client, plan_id, auth, clock, [0, 7], [NDI_20, NDI_16])
    answer = report(client, plan_id, auth, "therapist", "application/pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "progress-report.pdf").write_bytes(answer.data)  # for people to look at
    pages = PdfReader(io.BytesIO(answer.data)).pages
    text = " ".join(page.extract_text() for page in pages)
    assert "Cora Client" in text and "Ada Therapist" in text
    assert "Neck Disability Index" in text
    assert "24.0 / 50" in text and "16.0 / 50" in text  # baseline and latest
    assert "−8.0" in text and "meaningful" in text
    assert "Continue the plan at its pace" in text
    assert "stiff neck" in text  # the assessment


def test_the_html_is_the_same_document(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = neck_plan(client, clinic, auth)
    treat(client, plan_id, auth, clock, [0], [NDI_20])
    answer = report(client, plan_id, auth, "auditor", "text/html")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert "<h1>Progress report</h1>" in page and "Cora Client" in page
    assert "20.0 / 50" in page and "not meaningful yet" in page


def test_the_front_desk_and_the_admin_may_not_read_it(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    plan_id = neck_plan(client, clinic, auth)
    for role in ("front_desk", "admin"):
        answer = report(client, plan_id, auth, role, "application/pdf")
        assert answer.status_code == 403
        assert answer.mimetype == "application/problem+json"


def test_reading_it_is_in_the_access_log(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = neck_plan(client, clinic, auth)
    assert report(client, plan_id, auth, "auditor", "text/html").status_code == 200
    day = clock().date()
    views = regimen.access_log(UUID(plan_id), day, day)
    assert [(v.actor.role.value, v.record) for v in views] == [("auditor", "progress-report")]
