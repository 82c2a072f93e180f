"""The client chart: for the client's therapist only, one timeline, the latest assessment,
referrals, prescription and authorization, every note; each read in the access log."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.values import Assessment, Referral, Role
from tests.builders import THERAPIST, Clinic
from tests.fakes import FixedClock
from tests.plans import performance, utc
from tests.web.caseload import LOOKED_AT, SECRET_NOTE, Monday, adas_monday, evaluate_plan_a
from tests.web.conftest import Desk, signed_in_as_ben, text


@pytest.fixture
def monday(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> Monday:
    """Ada's Monday, looked at at 12:30 (see caseload.py), plan A's session 2 evaluated."""
    built = adas_monday(regimen, clinic, clock)
    evaluate_plan_a(regimen, built)
    return built


def timeline(page: str) -> list[str]:
    """The timeline's entries as plain text, in the order shown."""
    found = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S)
    assert found
    items = re.findall(
        r'<li class="tl-item[^"]*">(.*?)</li>\s*(?=<li class="tl-item|$)', found.group(1), re.S
    )
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_chart_shows_the_latest_assessment_plans_and_every_note(
    monday: Monday, therapist: Desk, clinic: Clinic
) -> None:
    response = therapist.get(f"/charts/{clinic.client_id}")
    assert response.status_code == 200
    page = text(response)
    assert "<title>Chart: Cora Client · Regimen</title>" in page
    assert SECRET_NOTE in page and "quokka evaluation" in page
    latest = re.search(r'<section aria-labelledby="assessment-h">(.*?)</section>', page, re.S)
    assert latest and "stiff neck" in latest.group(1) and "6/10, dull ache" in latest.group(1)
    assert "Authorization</dt><dd>none" in page  # Cora's plan has none; Dan's has


def test_the_timeline_is_newest_first_and_upcoming_sessions_come_apart(
    monday: Monday, therapist: Desk, clinic: Clinic
) -> None:
    page = text(therapist.get(f"/charts/{clinic.client_id}"))
    entries = timeline(page)
    assert len(entries) == 4 and sum("Plan proposed" in e for e in entries) == 1
    sessions = [e for e in entries if "Plan proposed" not in e]
    assert sessions[0].startswith("Mon 02 Mar 2026, 12:00 Assessment visit Not assessed")
    assert sessions[1].startswith("Mon 02 Mar 2026, 09:00 Session 2 of 6 Performed")
    assert sessions[2].startswith("Mon 23 Feb 2026, 09:00 Session 1 of 6 Not recorded")
    assert "Pain after 3/10" in sessions[1] and "Recommendation continue" in sessions[1]
    upcoming = re.search(r'<section aria-labelledby="upcoming-h">(.*?)</section>', page, re.S)
    assert upcoming is None  # Cora's later sessions are not booked yet


def test_referrals_prescription_and_authorization_usage_are_shown(
    monday: Monday, therapist: Desk, clinic: Clinic, regimen: Regimen
) -> None:
    regimen.refer_client(
        monday.plan_b,
        referral=Referral(profession="physiotherapist", name="Dr Lee", reason="knee"),
        actor=THERAPIST,
    )
    page = text(therapist.get(f"/charts/{clinic.other_client_id}"))
    assert "physiotherapist (Dr Lee): knee" in page
    assert "Acme Health AUTH-1: 1 of 2 visits used (booked ones included)" in page
    assert "valid until 30 Jun 2026" in page


def test_each_chart_read_is_recorded_in_the_access_log(
    monday: Monday, therapist: Desk, clinic: Clinic, regimen: Regimen
) -> None:
    assert regimen.access_log(monday.plan_a, LOOKED_AT.date(), LOOKED_AT.date()) == []
    therapist.get(f"/charts/{clinic.client_id}")
    [view] = regimen.access_log(monday.plan_a, LOOKED_AT.date(), LOOKED_AT.date())
    assert view.record == "chart" and view.via == "web"
    assert view.actor.role is Role.THERAPIST and view.reason == ""
    assert view.detail == f"/charts/{clinic.client_id}"
    [visit_view] = regimen.access_log(monday.assessment_visit, LOOKED_AT.date(), date(2026, 3, 2))
    assert visit_view.record == "chart"


def test_the_front_desk_gets_403_and_never_a_note(
    monday: Monday, desk: Desk, clinic: Clinic, regimen: Regimen
) -> None:
    response = desk.get(f"/charts/{clinic.client_id}")
    assert response.status_code == 403
    assert SECRET_NOTE not in text(response) and "quokka" not in text(response)
    assert regimen.access_log(monday.plan_a, LOOKED_AT.date(), LOOKED_AT.date()) == []
    client_page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert "quokka" not in client_page and "/charts/" not in client_page


def test_a_therapist_of_another_client_gets_403(
    monday: Monday, client: FlaskClient, regimen: Regimen, clinic: Clinic
) -> None:
    ben = signed_in_as_ben(client, regimen, clinic)
    response = ben.get(f"/charts/{clinic.client_id}")  # Cora is Ada's client only
    assert response.status_code == 403
    assert "treated by another therapist" in text(response) and "quokka" not in text(response)
    assert regimen.access_log(monday.plan_a, LOOKED_AT.date(), LOOKED_AT.date()) == []
    assert ben.get(f"/charts/{clinic.other_client_id}").status_code == 200  # Dan is his too


def test_the_therapists_client_page_links_the_chart(
    monday: Monday, therapist: Desk, clinic: Clinic
) -> None:
    page = text(therapist.get(f"/clients/{clinic.client_id}"))
    assert f'href="/charts/{clinic.client_id}">Chart</a>' in page


def test_a_client_with_no_plan_or_visit_has_no_chart_to_open(
    therapist: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    response = therapist.get(f"/charts/{clinic.client_id}")
    assert response.status_code == 403


def test_a_client_who_does_not_exist_has_no_chart(therapist: Desk) -> None:
    response = therapist.get("/charts/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404


def test_an_amended_note_says_who_amended_it_when_and_why_and_keeps_the_original(
    monday: Monday, therapist: Desk, clinic: Clinic, regimen: Regimen
) -> None:
    [ada] = [a for a in regimen.list_users() if a.name == "test-therapist"]
    regimen.amend_session_record(
        monday.plan_a,
        2,
        performance=performance(notes="left hip, not right"),
        reason="wrong side noted",
        actor=ada.actor,
        now=utc(2026, 3, 2, 12, 40),
    )
    page = text(therapist.get(f"/charts/{clinic.client_id}"))
    assert (
        "<strong>The record was amended</strong> by test-therapist on 02 Mar 2026 at 12:40:"
        " wrong side noted" in page
    )
    assert f"What it said before</summary><p>{SECRET_NOTE}</p>" in page
    assert "left hip, not right" in page and page.count("was amended") == 1


def test_a_visit_is_offered_for_assessing_until_it_is_assessed(
    monday: Monday, therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    assess = f'href="/visits/{monday.assessment_visit}/assess"'
    assert assess in text(therapist.get(f"/charts/{clinic.client_id}"))
    clock.now = utc(2026, 3, 2, 12, 30)
    found = Assessment("low back", "2 weeks", "sudden", "sharp", pain_level=5)
    regimen.record_assessment(monday.assessment_visit, found, actor=THERAPIST, now=clock())
    assert assess not in text(therapist.get(f"/charts/{clinic.client_id}"))
