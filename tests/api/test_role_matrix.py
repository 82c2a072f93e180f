"""The role matrix of DESIGN §7, read off every route the app serves, and the desk's redaction."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import time
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.api.audit import CLINICAL_READS
from service.application import Regimen
from service.domain.access import ChartUse
from service.domain.values import Assessment, Performance, Role
from service.domain.waitlist import WaitlistRequest, Window
from tests.api.helpers import (
    EVALUATION,
    FIRST_SESSION_OVER,
    PERFORMANCE,
    Headers,
    proposal_body,
)
from tests.api.operations import Operation, served_operations
from tests.builders import (
    ACME_TERMS,
    ADMIN,
    DESK,
    THERAPIST,
    ZONE,
    Clinic,
    people_of,
    visit_booking,
    waitlist_view,
)
from tests.fakes import FixedClock
from tests.web.conftest import Desk

API = "/api/v1"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SETUP = re.compile(
    rf"^{API}/(clinic|therapists|rooms|payers|users)(/|$)|^{API}/clients/<uuid:client_id>/erasure$"
)
CLINICAL_COMMANDS = re.compile(
    rf"^{API}/plans(/<uuid:plan_id>/(revise|refer|complete|sessions/<int:number>/"
    rf"(perform|evaluate|record-amendments|evaluation-amendments)))?$"
    rf"|^{API}/visits/<uuid:visit_id>/(perform|assessment|record-amendments)$"
)
AUDIT_TRAIL = re.compile(r"/(history|changes|access-log|events|audit)(/|$)")
# Clinical documents: a therapist's and an auditor's only, never the desk's.
CLINICAL_DOCUMENTS = re.compile(r"/(progress-report|export)$")
CLINICAL_KEYS = {"assessment", "expected_progress", "closing_note", "prescription"}
CLINICAL_KEYS |= {"performance", "evaluation", "adjuncts", "amendments"}
PUBLIC_DOCUMENTS = {"api-docs.openapi_json"}
OUTCOME_SCHEDULE = {"number", "start", "local_start", "timezone"}
# Values for the query parameters some reads require, by name.
QUERY = {"from": "2026-03-01", "to": "2026-03-31", "date": "2026-03-09"}


def operations(app: Flask) -> list[Operation]:
    """Every API operation the app serves (not its OpenAPI document)."""
    found = [
        o
        for o in served_operations(app)
        if o.rule.startswith(f"{API}/") and o.endpoint not in PUBLIC_DOCUMENTS
    ]
    assert len(found) >= 30
    return found


def matching(app: Flask, writes: bool, pattern: re.Pattern[str]) -> Iterator[Operation]:
    """The operations that write (or read) and whose rule matches the pattern."""
    for o in operations(app):
        if (o.method in WRITES) == writes and pattern.search(o.rule):
            yield o


def test_every_api_operation_names_the_roles_it_lets_in(app: Flask) -> None:
    unguarded = [(o.method, o.rule) for o in operations(app) if o.roles is None]

    assert unguarded == []


def test_the_auditor_reads_everything_and_changes_nothing(app: Flask) -> None:
    for o in operations(app):
        assert (Role.AUDITOR in (o.roles or ())) == (o.method == "GET"), o


def test_only_the_admin_changes_the_clinics_setup(app: Flask) -> None:
    setup = list(matching(app, True, SETUP))
    assert len(setup) >= 6

    for o in setup:
        assert o.roles == (Role.ADMIN,), o


def test_only_the_therapist_gives_clinical_commands(app: Flask) -> None:
    clinical = list(matching(app, True, CLINICAL_COMMANDS))
    commands = {o.rule.rsplit("/", 1)[-1] for o in clinical}
    assert commands == {
        "plans",
        "revise",
        "refer",
        "complete",
        "perform",
        "evaluate",
        "assessment",
        "record-amendments",
        "evaluation-amendments",
    }
    assert len(clinical) == 11  # perform and record-amendments twice: a plan's session, a visit

    for o in clinical:
        assert o.roles == (Role.THERAPIST,), o


def test_the_front_desk_runs_clients_booking_and_every_other_command(app: Flask) -> None:
    desk_commands = [
        o
        for o in matching(app, True, re.compile("."))
        if not SETUP.search(o.rule) and not CLINICAL_COMMANDS.search(o.rule)
    ]
    assert len(desk_commands) >= 10
    for o in desk_commands:
        assert Role.FRONT_DESK in (o.roles or ()), o


def test_the_front_desk_reads_everything_but_the_audit_trail(app: Flask) -> None:
    for o in matching(app, False, re.compile(".")):
        expected = not AUDIT_TRAIL.search(o.rule) and not CLINICAL_DOCUMENTS.search(o.rule)
        assert (Role.FRONT_DESK in (o.roles or ())) == expected, o


def test_every_clinical_command_on_a_plan_is_scoped_to_the_therapists_clients(
    app: Flask,
) -> None:
    commands = [o for o in matching(app, True, CLINICAL_COMMANDS) if "<uuid:plan_id>" in o.rule]
    assert len(commands) == 7

    for o in commands:
        assert o.chart is ChartUse.CHANGE, o


def test_every_read_of_a_clinical_record_a_therapist_may_make_is_scoped(app: Flask) -> None:
    reads = [o for o in operations(app) if o.endpoint in CLINICAL_READS]
    assert {o.endpoint for o in reads} == set(CLINICAL_READS)

    for o in reads:
        assert o.chart is ChartUse.READ, o


@pytest.fixture
def treated(
    regimen: Regimen,
    clinic: Clinic,
    plan_id: UUID,
    clock: FixedClock,
    first_session_treated: None,
) -> dict[str, Any]:
    """Path and query values of a plan whose first session was performed and evaluated,
    and of a visit that was assessed and performed."""
    booking = visit_booking(clinic, "2026-03-09T08:00")
    visit = regimen.book_visit(booking, actor=DESK, now=clock.now)
    assessment = Assessment("neck", "", "gradual", "dull", pain_level=5)
    performance = Performance(("effleurage",), ("neck",), duration_minutes=50, pain_before=6)
    regimen.record_assessment(visit.id, assessment, actor=THERAPIST, now=FIRST_SESSION_OVER)
    regimen.perform_visit(visit.id, performance, actor=THERAPIST, now=FIRST_SESSION_OVER)
    morning = Window(weekdays=(0,), start=time(9), end=time(12))
    waiting = WaitlistRequest(client_id=clinic.client_id, therapist_id=None, windows=(morning,))
    return {
        "entry_id": regimen.join_waitlist(
            waiting, actor=DESK, now=clock.now, listed=waitlist_view(regimen)
        ).id,
        "visit_id": visit.id,
        "plan_id": plan_id,
        "number": 1,
        "client_id": clinic.client_id,
        "therapist_id": clinic.therapist_id,
        "room_id": clinic.room_id,
        "payer_id": regimen.register_payer(ACME_TERMS, actor=ADMIN),
    }


def clinical_keys_in(value: Any) -> set[str]:
    """Every clinical key anywhere in a JSON document."""
    if isinstance(value, dict):
        found = CLINICAL_KEYS & set(value)
        return found.union(*(clinical_keys_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(clinical_keys_in(v) for v in value))
    return set()


def test_nothing_the_front_desk_may_read_shows_assessments_or_session_notes(
    app: Flask, client: FlaskClient, treated: dict[str, Any], auth: Headers
) -> None:
    therapist_sees = client.get(f"{API}/plans/{treated['plan_id']}", headers=auth["therapist"])
    assert clinical_keys_in(therapist_sees.get_json()) == CLINICAL_KEYS

    urls = app.url_map.bind("localhost")
    desk_reads = [
        o for o in matching(app, False, re.compile(".")) if Role.FRONT_DESK in (o.roles or ())
    ]
    assert len(desk_reads) >= 15
    for o in desk_reads:
        url = urls.build(o.endpoint, {**treated, **QUERY})
        response = client.get(url, headers=auth["front_desk"])

        assert response.status_code == 200, (url, response.get_json())
        assert clinical_keys_in(response.get_json()) == set(), url


MARKER = "ZEBRA-CLINICAL-MARKER"
# Query values for every required parameter of a GET operation, by name.
REQUIRED_QUERY = {**QUERY, "duration_minutes": "60"}


@pytest.fixture
def charted(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers, clock: FixedClock
) -> dict[str, Any]:
    """Path values of a plan whose every clinical free-text field holds the marker,
    written through the API as the therapist."""
    therapist, desk = auth["therapist"], auth["front_desk"]
    body = proposal_body(
        clinic,
        assessment={
            "complaint": MARKER,
            "duration": MARKER,
            "onset": "gradual",
            "pain_description": MARKER,
            "pain_level": 6,
            "range_of_motion": [{"joint": MARKER, "movement": MARKER, "degrees": 40}],
            "posture": MARKER,
            "tissue": MARKER,
        },
        expected_progress=MARKER,
        adjuncts=[f"home care: {MARKER}"],
        referral={"profession": "GP", "name": "Dr Who", "reason": MARKER},
        prescription={"physician": "Dr Who", "issued_on": "2026-02-01", "notes": MARKER},
    )
    created = client.post(f"{API}/plans", json=body, headers=therapist)
    assert created.status_code == 201, created.get_json()
    plan = created.get_json()["id"]
    booking = [
        (f"/plans/{plan}/agree", {}, desk),
        (f"/plans/{plan}/sessions", {"start": "2026-03-09T10:00", "timezone": ZONE}, desk),
    ]
    records = [
        (f"/plans/{plan}/sessions/1/perform", {**PERFORMANCE, "notes": MARKER}, therapist),
        (
            f"/plans/{plan}/sessions/1/evaluate",
            {**EVALUATION, "notes": MARKER, "posture": MARKER},
            therapist,
        ),
        (f"/plans/{plan}/refer", {"profession": "physio", "reason": MARKER}, therapist),
        (
            f"/plans/{plan}/sessions/1/record-amendments",
            {"performance": {**PERFORMANCE, "notes": f"amended: {MARKER}"}, "reason": MARKER},
            therapist,
        ),
        (
            f"/plans/{plan}/sessions/1/evaluation-amendments",
            {"evaluation": {**EVALUATION, "notes": f"amended: {MARKER}"}, "reason": MARKER},
            therapist,
        ),
    ]
    visit = client.post(
        f"{API}/visits",
        json={
            "client_id": str(clinic.client_id),
            "therapist_id": str(clinic.therapist_id),
            "kind": "assessment",
            "start": "2026-03-09T08:00",
            "timezone": ZONE,
            "minutes": 60,
        },
        headers=desk,
    ).get_json()["id"]
    records += [
        (f"/visits/{visit}/assessment", body["assessment"], therapist),
        (f"/visits/{visit}/perform", {**PERFORMANCE, "notes": MARKER}, therapist),
        (
            f"/visits/{visit}/record-amendments",
            {"performance": {**PERFORMANCE, "notes": f"amended: {MARKER}"}, "reason": MARKER},
            therapist,
        ),
    ]
    for steps in (booking, records):
        for path, step, headers in steps:
            response = client.post(f"{API}{path}", json=step, headers=headers)
            assert response.status_code in (200, 201), (path, response.get_json())
        clock.now = FIRST_SESSION_OVER  # booked ahead, recorded once the session has ended
    feed = client.post(f"{API}/clients/{clinic.client_id}/feed-token", headers=desk)
    waiting = {"weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "12:00"}
    entry = client.post(
        f"{API}/waitlist",
        json={"client_id": str(clinic.client_id), "windows": [waiting]},
        headers=desk,
    )
    return {
        "token": feed.get_json()["token"],
        "entry_id": entry.get_json()["id"],
        "visit_id": visit,
        "plan_id": plan,
        "number": "1",
        "payer_id": str(regimen.register_payer(ACME_TERMS, actor=ADMIN)),
        **people_of(clinic),
    }


def get_operations(
    client: FlaskClient, ids: dict[str, Any]
) -> Iterator[tuple[str, dict[str, str]]]:
    """Every GET operation of the OpenAPI document: its path and its required query values."""
    document = client.get(f"{API}/openapi.json").get_json()
    for path, item in document["paths"].items():
        if "get" not in item:
            continue
        parameters = item.get("parameters", []) + item["get"].get("parameters", [])
        query = {
            p["name"]: {**REQUIRED_QUERY, **ids}[p["name"]]
            for p in parameters
            if p["in"] == "query" and p.get("required")
        }
        yield path, query


def test_no_answer_the_front_desk_can_get_holds_clinical_text(
    client: FlaskClient, charted: dict[str, Any], auth: Headers
) -> None:
    therapist_sees = client.get(f"{API}/plans/{charted['plan_id']}", headers=auth["therapist"])
    assert MARKER in therapist_sees.get_data(as_text=True)

    answered = []
    for path, query in get_operations(client, charted):
        url = path.format(**charted)
        response = client.get(url, query_string=query, headers=auth["front_desk"])
        assert response.status_code < 500, url
        assert MARKER not in response.get_data(as_text=True), url
        if response.status_code == 200:
            answered.append(path)
    assert len(answered) >= 20


def test_the_front_desk_sees_how_many_sessions_are_done_but_no_outcomes(
    client: FlaskClient, charted: dict[str, Any], auth: Headers
) -> None:
    url = f"{API}/plans/{charted['plan_id']}/progress"
    desk_sees = client.get(url, headers=auth["front_desk"]).get_json()
    therapist_sees = client.get(url, headers=auth["therapist"]).get_json()

    assert desk_sees["plan"]["sessions_done"] == 1
    assert set(therapist_sees) - set(desk_sees) == {
        "pain_change",
        "pain_trend",
        "measures",
        "latest_recommendation",
    }
    assert desk_sees["outcomes"] == [
        {k: v for k, v in outcome.items() if k in OUTCOME_SCHEDULE}
        for outcome in therapist_sees["outcomes"]
    ]


def test_the_front_desk_sees_who_a_client_is_referred_to_but_not_why(
    client: FlaskClient, charted: dict[str, Any], auth: Headers
) -> None:
    plan = client.get(f"{API}/plans/{charted['plan_id']}", headers=auth["front_desk"]).get_json()

    assert [r["profession"] for r in plan["referrals"]] == ["GP", "physio"]
    assert all("reason" not in r for r in plan["referrals"])
    assert "adjuncts" not in plan


def test_the_desks_pages_show_no_clinical_text(
    app: Flask, charted: dict[str, Any], tokens: dict[str, str]
) -> None:
    browser = Desk(app.test_client())
    assert browser.sign_in(tokens["front_desk"]).status_code == 302
    pages = [
        "/calendar?date=2026-03-09",
        "/calendar?date=2026-03-09&view=week",
        "/clients",
        f"/clients/{charted['client_id']}",
        f"/plans/{charted['plan_id']}/book",
        f"/plans/{charted['plan_id']}/sessions/1",
        "/reminders",
    ]
    for page in pages:
        response = browser.get(page)
        assert response.status_code in (200, 404), page
        assert MARKER not in response.get_data(as_text=True), page
