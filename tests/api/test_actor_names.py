"""Auditors read who acted by name in the API too: history, changes, the feed, the index."""

from __future__ import annotations

from uuid import UUID

from flask.testing import FlaskClient

from tests.api.helpers import Headers, at, desk_books


def test_history_changes_feed_and_index_name_the_actor(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    assert desk_books(client, plan_id, auth, at("2026-03-09T10:00")).status_code == 201
    auditor = auth["auditor"]

    history = client.get(f"/api/v1/plans/{plan_id}/history", headers=auditor).get_json()
    booked = history[-1]
    assert (booked["type"], booked["actor_name"]) == ("SessionBooked", "test-front_desk")
    # The plan fixture's events were caused by an actor no account stands for.
    assert history[0]["actor_name"] is None

    changes = client.get(
        f"/api/v1/plans/{plan_id}/changes",
        query_string={"from": booked["version"] - 1},
        headers=auditor,
    ).get_json()
    assert [e["actor_name"] for e in changes["events"]] == ["test-front_desk"]

    index = client.get(
        "/api/v1/audit/index",
        query_string={"aggregate_id": str(plan_id), "type": "SessionBooked"},
        headers=auditor,
    ).get_json()
    assert [r["actor_name"] for r in index] == ["test-front_desk"]

    answer = client.get("/api/v1/events?after=0&limit=500", headers=auditor)
    assert answer.status_code == 200, answer.get_json()
    feed = answer.get_json()["events"]
    assert {e["actor_name"] for e in feed if e["type"] == "SessionBooked"} == {"test-front_desk"}


def test_each_change_names_its_session_as_the_clinic_counts_them(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    for start in ("2026-03-09T10:00", "2026-03-16T10:00"):
        assert desk_books(client, plan_id, auth, at(start)).status_code == 201
    version = client.get(f"/api/v1/plans/{plan_id}", headers=auth["auditor"]).get_json()["version"]
    moved = client.post(
        f"/api/v1/plans/{plan_id}/sessions/2/reschedule",
        json=at("2026-03-18T14:00"),
        headers=auth["front_desk"],
    )
    assert moved.status_code == 200, moved.get_json()
    changes = client.get(
        f"/api/v1/plans/{plan_id}/changes", query_string={"from": version}, headers=auth["auditor"]
    ).get_json()["changes"]
    moved_fields = {c["path"]: c["session"] for c in changes if c["path"].startswith("/sessions")}
    assert moved_fields["/sessions/1/time/local_start"] == 2
    assert {c["session"] for c in changes if not c["path"].startswith("/sessions")} == {None}
