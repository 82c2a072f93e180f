"""Every read of a clinical record is recorded: who read which plan, what, and when."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import Headers, assert_problem
from tests.fakes import FixedClock

API = "/api/v1"


@pytest.fixture
def treated(plan_id: UUID, first_session_treated: None) -> UUID:
    """The plan, its first session booked, performed and evaluated."""
    return plan_id


def access_log(client: FlaskClient, plan_id: UUID, auth: Headers, **query: str) -> Any:
    """The plan's access log as the auditor reads it."""
    response = client.get(
        f"{API}/plans/{plan_id}/access-log", query_string=query, headers=auth["auditor"]
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def who(tokens: dict[str, str], regimen: Regimen, role: str) -> str:
    """The user id behind a role's test token."""
    account = regimen.authenticate(tokens[role])
    assert account is not None
    return str(account.user_id)


def test_each_read_of_the_clinical_record_is_logged_with_who_what_and_when(
    client: FlaskClient,
    regimen: Regimen,
    treated: UUID,
    auth: Headers,
    tokens: dict[str, str],
    clock: FixedClock,
) -> None:
    plan = f"{API}/plans/{treated}"
    client.get(plan, headers=auth["therapist"])
    clock.advance(minutes=5)
    client.get(f"{plan}?version=2", headers=auth["front_desk"])
    client.get(f"{plan}/sessions/1", headers=auth["front_desk"])
    client.get(f"{plan}/history", headers=auth["auditor"])
    client.get(f"{plan}/changes?from=1&to=3", headers=auth["admin"])

    views = access_log(client, treated, auth)

    assert [(v["actor"]["role"], v["record"], v["detail"]) for v in views] == [
        ("therapist", "plan", ""),
        ("front_desk", "plan", "version=2"),
        ("front_desk", "session", "number=1"),
        ("auditor", "history", ""),
        ("admin", "changes", "from=1&to=3"),
    ]
    assert views[0]["actor"]["user_id"] == who(tokens, regimen, "therapist")
    assert views[0]["at"] == "2026-03-02T08:00:00+00:00"
    assert views[1]["at"] == "2026-03-02T08:05:00+00:00"
    assert {v["via"] for v in views} == {"api"}


def test_a_read_that_fails_is_not_logged(client: FlaskClient, treated: UUID, auth: Headers) -> None:
    client.get(f"{API}/plans/{treated}?version=99", headers=auth["therapist"])
    client.get(f"{API}/plans/{treated}/sessions/7", headers=auth["therapist"])

    assert access_log(client, treated, auth) == []


def test_reading_the_feed_logs_a_read_of_each_plan_in_the_page(
    client: FlaskClient, treated: UUID, auth: Headers
) -> None:
    client.get(f"{API}/events?after=0&limit=500", headers=auth["admin"])

    views = access_log(client, treated, auth)
    assert [(v["actor"]["role"], v["record"]) for v in views] == [("admin", "feed")]
    assert "after=0" in views[0]["detail"]


def test_the_access_log_spans_the_days_asked_for(
    client: FlaskClient, treated: UUID, auth: Headers, clock: FixedClock
) -> None:
    client.get(f"{API}/plans/{treated}", headers=auth["therapist"])
    clock.advance(days=2)
    client.get(f"{API}/plans/{treated}", headers=auth["therapist"])

    both = access_log(client, treated, auth, **{"from": "2026-03-02", "to": "2026-03-04"})
    first_day = access_log(client, treated, auth, **{"from": "2026-03-02", "to": "2026-03-02"})
    assert len(both) == 2 and len(first_day) == 1
    assert len(access_log(client, treated, auth)) == 2  # the last 31 days by default


def test_too_long_or_backward_spans_are_invalid(
    client: FlaskClient, treated: UUID, auth: Headers
) -> None:
    for span in (
        {"from": "2025-01-01", "to": "2026-03-02"},
        {"from": "2026-03-05", "to": "2026-03-01"},
    ):
        response = client.get(
            f"{API}/plans/{treated}/access-log", query_string=span, headers=auth["auditor"]
        )
        assert_problem(response, 422)


@pytest.mark.parametrize("role", ["therapist", "front_desk"])
def test_only_auditors_and_admins_read_the_access_log(
    client: FlaskClient, treated: UUID, auth: Headers, role: str
) -> None:
    response = client.get(f"{API}/plans/{treated}/access-log", headers=auth[role])

    assert_problem(response, 403)


def test_a_read_that_cannot_be_logged_is_refused(
    client: FlaskClient,
    regimen: Regimen,
    treated: UUID,
    auth: Headers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(regimen, "record_views", broken)

    response = client.get(f"{API}/plans/{treated}", headers=auth["therapist"])

    body = assert_problem(response, 503, "access log")
    assert "stiff neck" not in str(body)
