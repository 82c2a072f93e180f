"""The audit index: events found by aggregate, type, actor and time, for auditors only."""

from __future__ import annotations

from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import Headers, assert_problem, at, desk_books


def test_an_auditor_finds_a_plans_cancellations_and_who_made_them(
    client: FlaskClient, regimen: Regimen, plan_id: UUID, auth: Headers, tokens: dict[str, str]
) -> None:
    for start in ("2026-03-09T10:00", "2026-03-16T10:00"):
        booked = desk_books(client, plan_id, auth, at(start))
        assert booked.status_code == 201
    cancelled = client.post(
        f"/api/v1/plans/{plan_id}/sessions/2/cancel",
        json={"reason": "holiday"},
        headers=auth["front_desk"],
    )
    assert cancelled.status_code == 200
    desk = regimen.authenticate(tokens["front_desk"])
    assert desk is not None

    found = client.get(
        "/api/v1/audit/index",
        query_string={"aggregate_id": str(plan_id), "type": "SessionCancelled"},
        headers=auth["auditor"],
    )

    assert found.status_code == 200
    rows = found.get_json()
    assert [(r["type"], r["actor_id"], r["actor_role"]) for r in rows] == [
        ("SessionCancelled", str(desk.user_id), "front_desk")
    ]
    history = [e.originator_version for e in regimen.history(plan_id)]
    assert rows[0]["version"] == history[-1]


def test_the_audit_index_pages_through_a_plans_events_in_log_order(
    client: FlaskClient, regimen: Regimen, plan_id: UUID, auth: Headers
) -> None:
    query = {"aggregate_id": str(plan_id), "limit": 1}
    first = client.get("/api/v1/audit/index", query_string=query, headers=auth["auditor"])
    second = client.get(
        "/api/v1/audit/index",
        query_string={**query, "cursor": first.headers["X-Next-Cursor"]},
        headers=auth["auditor"],
    )
    rows = first.get_json() + second.get_json()
    assert [r["type"] for r in rows] == ["PlanProposed", "PlanAgreed"]
    assert rows[0]["position"] < rows[1]["position"]
    assert "X-Next-Cursor" not in second.headers


def test_only_auditors_and_admins_read_the_audit_index(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    response = client.get("/api/v1/audit/index", headers=auth["front_desk"])
    assert_problem(response, 403)
    assert client.get("/api/v1/audit/index", headers=auth["admin"]).status_code == 200
