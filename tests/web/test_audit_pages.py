"""The auditor's workspace: read-only pages over plans' histories, past states and seals."""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application import Regimen
from service.application.accounts import OPERATOR
from service.application.commands import SeriesBooking, Slot
from service.domain.values import Actor, Role
from service.scheduler.booking_policy import ConflictPolicy
from tests.app.tamper import SQLiteTamperer
from tests.builders import ADMIN, ZONE, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.web.conftest import Desk, missing, signed_in, text


@pytest.fixture
def maria(regimen: Regimen) -> Actor:
    """A front-desk user by name, as the accounts list holds her."""
    account, _ = regimen.add_user("Maria Lopez", Role.FRONT_DESK, ADMIN)
    return account.actor


@pytest.fixture
def moved(regimen: Regimen, clinic: Clinic, maria: Actor, clock: FixedClock) -> UUID:
    """Cora's plan: six Tuesdays at 10:00 from 3 March booked by Maria (versions 3 to 9),
    who then moved session 3 from Tue 17 March 10:00 to Thu 19 March 14:00 (version 10)."""
    plan_id = agreed_plan(regimen, clinic)  # versions 1 and 2
    regimen.book_series(
        plan_id,
        SeriesBooking(Slot(datetime(2026, 3, 3, 10), ZONE), ConflictPolicy.FAIL),
        actor=maria,
        now=clock(),
    )
    slot = Slot(datetime(2026, 3, 19, 14), ZONE)
    regimen.reschedule_session(plan_id, 3, slot, actor=maria, now=clock())
    return plan_id


@pytest.fixture
def auditor(client: FlaskClient, tokens: dict[str, str], clinic: Clinic) -> Desk:
    """A browser signed in with an auditor's token."""
    return signed_in(client, tokens["auditor"], landing="/audit")


def last_version(regimen: Regimen, plan_id: UUID) -> int:
    return regimen.plan(plan_id).version


def test_an_auditor_signs_in_to_the_audit_workspace(auditor: Desk) -> None:
    page = text(auditor.get("/audit"))
    assert missing(page, "Find plans", 'href="/audit/who"', "Read-only") == []
    assert 'href="/calendar"' not in page and 'method="post" action="/sign-out"' in page
    assert auditor.get("/").location == "/audit"


def test_an_admin_reaches_the_audit_workspace_from_the_calendar(
    client: FlaskClient, tokens: dict[str, str], clinic: Clinic
) -> None:
    admin = signed_in(client, tokens["admin"], landing="/calendar")
    calendar = text(admin.get("/calendar"))
    assert 'href="/audit"' in calendar and 'href="/audit/who"' in calendar
    assert admin.get("/audit").status_code == 200


def test_the_desk_cannot_open_the_audit_workspace(desk: Desk) -> None:
    assert desk.get("/audit").status_code == 403


def test_find_plans_by_client_name(
    auditor: Desk, moved: UUID, regimen: Regimen, clinic: Clinic
) -> None:
    other = agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    page = text(auditor.get("/audit?client=cora"))
    assert f"/audit/plans/{moved}" in page and f"/audit/plans/{other}" not in page
    assert "Client: cora" in page
    assert 'href="/audit" aria-label="Remove the filter Client: cora"' in page
    both = text(auditor.get("/audit?status=agreed"))
    assert f"/audit/plans/{moved}" in both and f"/audit/plans/{other}" in both


def test_find_refuses_a_bad_date_beside_the_field(auditor: Desk) -> None:
    response = auditor.get("/audit?since=yesterday")
    assert response.status_code == 422
    assert "must be a date like 2026-03-02" in text(response)


def test_the_command_line_is_named_where_it_acted(
    auditor: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    regimen.add_user("Nell Newcomer", Role.FRONT_DESK, OPERATOR)
    page = text(auditor.get(f"/audit/who?actor={OPERATOR.user_id}"))
    assert "Who: Command line (server operator)" in page
    rows = re.findall(r"<tr>\s*<td data-label=\"When\">.*?</tr>", page, re.S)
    assert rows and all("Admin — Command line (server operator)" in row for row in rows)
    assert "not in the accounts list" not in page


def test_who_did_what_is_filtered_by_the_actors_name(
    auditor: Desk, moved: UUID, maria: Actor
) -> None:
    page = text(auditor.get(f"/audit/who?actor={maria.user_id}"))
    assert "Who: Maria Lopez" in page
    rows = re.findall(r"<tr>\s*<td data-label=\"When\">.*?</tr>", page, re.S)
    assert rows and all("Front desk — Maria Lopez" in row for row in rows)
    assert sum("Session booked" in row for row in rows) == 6
    assert sum("Session rescheduled" in row for row in rows) == 1
    assert f'<a href="/audit/plans/{moved}#v10">Cora Client’s plan, version 10</a>' in page
    assert not any("Plan proposed" in row for row in rows)
    everyone = text(auditor.get("/audit/who"))
    assert '<td data-label="What">Plan proposed</td>' in everyone


def test_the_timeline_names_who_did_what_with_sessions_counted_from_one(
    auditor: Desk, moved: UUID, regimen: Regimen
) -> None:
    page = text(auditor.get(f"/audit/plans/{moved}"))
    assert (
        "Front desk — Maria Lopez moved session 3 from Tue 17 Mar 10:00 to Thu 19 Mar 14:00" in page
    )
    assert "Front desk — Maria Lopez booked session 1 for Tue 3 Mar 10:00" in page
    # The time in the clinic's zone (London: UTC in winter), UTC in the attribute.
    moved_at = regimen.plan(moved).modified_on
    utc = moved_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'<time datetime="{utc}" title="{utc} (UTC)">{moved_at:%a} {moved_at.day}' in page


def test_reading_the_timeline_is_recorded_in_the_access_log(
    auditor: Desk, moved: UUID, regimen: Regimen, clock: FixedClock
) -> None:
    auditor.get(f"/audit/plans/{moved}")
    [view] = regimen.access_log(moved, clock().date(), clock().date())
    assert (view.record, view.via, view.actor.role) == ("timeline", "web", Role.AUDITOR)
    proof = text(auditor.get(f"/audit/plans/{moved}/proof"))
    assert "Auditor — test-auditor" in proof and "timeline" in proof


def test_the_plan_as_it_stood_before_the_move_differs_from_now(
    auditor: Desk, moved: UUID, regimen: Regimen
) -> None:
    before = text(auditor.get(f"/audit/plans/{moved}/as-it-stood?version=9"))
    now = text(auditor.get(f"/audit/plans/{moved}/as-it-stood"))
    assert "Tue 17 Mar 10:00 2026" in before and "Thu 19 Mar 14:00 2026" not in before
    assert "Thu 19 Mar 14:00 2026" in now and "Tue 17 Mar 10:00 2026" not in now
    assert "Version 9 of 10" in before and "as it stands now" in now
    proposed = text(auditor.get(f"/audit/plans/{moved}/as-it-stood?version=1"))
    assert "proposed" in proposed and "No session booked yet." in proposed


def test_as_it_stood_at_an_instant_shows_the_last_version_before_it(
    auditor: Desk, moved: UUID
) -> None:
    page = text(auditor.get(f"/audit/plans/{moved}/as-it-stood?at=2999-01-01T09:00:30"))
    assert "Version 10 (as it stands now), the last before 2999-01-01 09:00:30" in page
    assert "Thu 19 Mar 14:00 2026" in page


def test_as_it_stood_at_an_instant_before_the_plan_is_explained(auditor: Desk, moved: UUID) -> None:
    response = auditor.get(f"/audit/plans/{moved}/as-it-stood?at=2026-01-01T09:00")
    assert response.status_code == 422
    assert "did not exist yet" in text(response)
    wrong = auditor.get(f"/audit/plans/{moved}/as-it-stood?version=99")
    assert wrong.status_code == 422 and "Choose a version from 1 to 10." in text(wrong)


def test_compare_highlights_the_moved_session(auditor: Desk, moved: UUID) -> None:
    page = text(auditor.get(f"/audit/plans/{moved}/compare?from=9&to=10"))
    assert "Session 3 › time › local start" in page
    assert re.search(r"<mark class=\"now\">2026-03-19T14:00:00</mark>", page)
    assert re.search(r"<tr class=\"differs\">\s*<th scope=\"row\">Session 3 <span", page)
    assert not re.search(r"<tr class=\"differs\">\s*<th scope=\"row\">Session 2 <span", page)
    assert "moved session 3" in page


def test_the_seal_check_passes_then_finds_an_altered_row(
    auditor: Desk, moved: UUID, database_url: str
) -> None:
    page = text(auditor.get(f"/audit/plans/{moved}/proof"))
    assert "Passed." in page and "10 stored events" in page
    assert re.search(r'value="\d+:[0-9a-f]{64}"', page)
    tamperer = SQLiteTamperer(database_url)
    position = tamperer.position_of(moved, 5)
    tamperer.change_byte(position)
    page = text(auditor.get(f"/audit/plans/{moved}/proof?check=store"))
    assert "Failed." in page
    assert f"The first is at log position <strong>{position}</strong> (version 5)" in page
    assert page.count("Failed.") == 2  # the plan's check and the whole store's


def test_the_export_is_the_plans_events_as_json_lines(auditor: Desk, moved: UUID) -> None:
    response = auditor.get(f"/audit/plans/{moved}/history.jsonl")
    lines = text(response).splitlines()
    assert response.mimetype == "application/x-ndjson" and len(lines) == 10
    assert response.headers["Cache-Control"] == "no-store"
    assert '"type": "SessionRescheduled"' in lines[-1]


def example_value(converter: str, plan_id: UUID) -> str:
    return {"UUIDConverter": str(plan_id), "IntegerConverter": "1"}.get(converter, "x")


def test_no_route_accepts_a_write_from_an_auditor(
    app: Flask, auditor: Desk, moved: UUID, regimen: Regimen
) -> None:
    """Every route that is not a GET refuses a signed-in auditor, and nothing is stored;
    every page of the desk and the therapist answers 403. Signing in and out only change
    the browser's own session."""
    end = regimen.recorder.max_notification_id() or 0
    checked = []
    for rule in app.url_map.iter_rules():
        values = {
            name: example_value(type(converter).__name__, moved)
            for name, converter in rule._converters.items()
        }
        path = app.url_map.bind("localhost").build(rule.endpoint, values)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if rule.endpoint in ("web.sign_in_with_token", "web.sign_out"):
                continue
            if method == "GET":
                if not rule.endpoint.startswith("web.") or rule.endpoint in (
                    "web.home",
                    "web.static",
                ):
                    continue
                if rule.endpoint.startswith("web.audit"):
                    assert auditor.get(path).status_code in (200, 404), path
                    continue
            response = auditor.client.open(path, method=method, data={"csrf_token": auditor.csrf()})
            # The pages refuse the auditor; the API wants a token, which a page session is not;
            # a client's page wants a signed link, which "x" is not.
            expected = 403 if rule.endpoint.startswith(("web.", "client.")) else 401
            assert response.status_code == expected, (method, path, response.status_code)
            checked.append((method, path))
    written = regimen.recorder.select_notifications(start=end + 1, limit=1000)
    assert [n.topic for n in written if "PlanAccessDay" not in n.topic] == []  # only its reads
    assert len([m for m, _ in checked if m != "GET"]) > 20
    assert ("POST", f"/sessions/{moved}/1/move") in checked
    assert ("GET", "/calendar") in checked


def test_who_did_what_finds_the_schedulers_events(
    auditor: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    plan_id = agreed_plan(regimen, clinic)
    regimen.cancel_plan(plan_id, reason="never started", actor=Actor("scheduler", Role.SYSTEM))
    page = text(auditor.get("/audit/who?actor=system"))
    assert "Who: Scheduler" in page
    rows = re.findall(r"<tr>\s*<td data-label=\"When\">.*?</tr>", page, re.S)
    assert len(rows) == 1 and "Scheduler" in rows[0] and "Plan cancelled" in rows[0]


def test_a_plan_that_does_not_exist_is_a_clear_404(auditor: Desk, clinic: Clinic) -> None:
    for page in ("", "/as-it-stood", "/compare", "/proof", "/history.jsonl"):
        response = auditor.get(f"/audit/plans/{clinic.client_id}{page}")
        assert response.status_code == 404, page
        assert "no treatment plan with id" in text(response).casefold(), page
