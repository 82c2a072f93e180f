"""The audit endpoints: the plan as it stood, history pages, changes, the feed, verify."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import Headers, assert_problem, bearer, writes_nothing
from tests.app.tamper import SQLiteTamperer
from tests.audit_story import EVENT_TYPES, Story, treated_and_revised
from tests.builders import Clinic

API = "/api/v1"


@pytest.fixture
def story(regimen: Regimen, clinic: Clinic, client: FlaskClient, auth: Headers) -> Story:
    """The story, each state read over HTTP by the therapist as the plan then stood."""

    def read(plan_id: UUID) -> Any:
        response = client.get(f"{API}/plans/{plan_id}", headers=auth["therapist"])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return treated_and_revised(regimen, clinic, read)


def event_times(client: FlaskClient, story: Story, auth: Headers) -> list[datetime]:
    """When each version was recorded, read from the history."""
    history = client.get(f"{API}/plans/{story.plan_id}/history", headers=auth["auditor"])
    return [datetime.fromisoformat(e["timestamp"]) for e in history.get_json()]


def test_reading_a_plan_at_each_version_answers_the_plan_as_it_then_stood(
    client: FlaskClient, story: Story, auth: Headers
) -> None:
    for version, expected in story.states.items():
        response = client.get(
            f"{API}/plans/{story.plan_id}",
            query_string={"version": version},
            headers=auth["auditor"],
        )
        assert response.status_code == 200, response.get_json()
        assert response.get_json() == expected, version
        assert response.headers["ETag"] == f'"{version}"'


def test_reading_a_plan_as_of_an_instant_between_events_answers_the_earlier_state(
    client: FlaskClient, story: Story, auth: Headers
) -> None:
    times = event_times(client, story, auth)
    for version in range(1, len(times)):
        between = times[version - 1] + (times[version] - times[version - 1]) / 2
        response = client.get(
            f"{API}/plans/{story.plan_id}",
            query_string={"as_of": between.isoformat()},
            headers=auth["therapist"],
        )
        assert response.status_code == 200, response.get_json()
        assert response.get_json() == story.states[version], version


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"version": len(EVENT_TYPES) + 1}, 404),
        ({"version": 0}, 422),
        ({"version": "two"}, 422),
        ({"as_of": "2026-03-02T09:00"}, 422),  # no offset
        ({"as_of": "2000-01-01T00:00:00+00:00"}, 404),  # before the proposal
        ({"version": 1, "as_of": "2026-03-02T09:00:00+00:00"}, 422),
    ],
)
def test_a_version_or_instant_out_of_range_is_a_problem_never_a_500(
    client: FlaskClient, story: Story, auth: Headers, query: dict[str, Any], status: int
) -> None:
    response = client.get(
        f"{API}/plans/{story.plan_id}", query_string=query, headers=auth["auditor"]
    )

    assert_problem(response, status)


def test_the_history_comes_in_pages_that_link_to_the_next(
    client: FlaskClient, story: Story, auth: Headers
) -> None:
    url, seen = f"{API}/plans/{story.plan_id}/history?limit=5", []
    while url:
        response = client.get(url, headers=auth["auditor"])
        assert response.status_code == 200, response.get_json()
        seen += response.get_json()
        link = response.headers.get("Link", "")
        url = link[1 : link.index(">")] if link else ""

    assert [e["type"] for e in seen] == EVENT_TYPES
    assert [e["version"] for e in seen] == list(range(1, len(EVENT_TYPES) + 1))


def test_a_history_cursor_that_is_not_a_version_is_invalid(
    client: FlaskClient, story: Story, auth: Headers
) -> None:
    response = client.get(
        f"{API}/plans/{story.plan_id}/history?cursor=abc", headers=auth["auditor"]
    )

    assert_problem(response, 422, "cursor")


def test_the_changes_between_two_versions_list_each_changed_field(
    client: FlaskClient, story: Story, auth: Headers
) -> None:
    response = client.get(
        f"{API}/plans/{story.plan_id}/changes?from=7&to=8", headers=auth["auditor"]
    )

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [e["type"] for e in body["events"]] == ["OutcomeEvaluated"]
    changed = {c["path"]: c for c in body["changes"]}
    assert changed["/sessions/0/evaluation"]["before"] is None
    assert changed["/sessions/0/evaluation"]["after"]["pain_after"] == 4
    assert changed["/version"]["before"] == 7 and changed["/version"]["after"] == 8
    assert not [p for p in changed if p.startswith("/sessions/1")]


def test_changes_from_a_later_to_an_earlier_version_are_invalid(
    client: FlaskClient, story: Story, auth: Headers
) -> None:
    response = client.get(
        f"{API}/plans/{story.plan_id}/changes?from=9&to=3", headers=auth["auditor"]
    )

    assert_problem(response, 422)


def read_feed(client: FlaskClient, headers: dict[str, str], after: int, limit: int) -> list[int]:
    """Read the feed from a position until a page comes back empty; the positions read."""
    positions = []
    while True:
        response = client.get(f"{API}/events?after={after}&limit={limit}", headers=headers)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        if not page["events"]:
            assert page["next_after"] == after and not page["more"]
            return positions
        positions += [e["position"] for e in page["events"]]
        after = page["next_after"]


def test_the_feed_read_in_pages_from_zero_returns_every_event_once_in_order(
    client: FlaskClient, regimen: Regimen, story: Story, auth: Headers
) -> None:
    positions = read_feed(client, auth["auditor"], 0, 9)

    stored = [n.id for n in regimen.recorder.select_notifications(start=1, limit=100_000)]
    assert positions == stored


def test_a_feed_consumer_resuming_from_its_last_position_misses_nothing(
    client: FlaskClient, regimen: Regimen, story: Story, auth: Headers
) -> None:
    first = client.get(f"{API}/events?after=0&limit=20", headers=auth["admin"]).get_json()
    resume_at = first["next_after"]
    # While the integrator is down, the therapist refers the client on.
    referred = client.post(
        f"{API}/plans/{story.plan_id}/refer",
        json={"profession": "osteopath"},
        headers=auth["therapist"],
    )
    assert referred.status_code == 200, referred.get_json()

    rest = read_feed(client, auth["admin"], resume_at, 50)

    stored = [n.id for n in regimen.recorder.select_notifications(start=1, limit=100_000)]
    assert [e["position"] for e in first["events"]] + rest == stored


def test_a_feed_event_says_where_it_sits_what_happened_and_who_did_it(
    client: FlaskClient, story: Story, auth: Headers
) -> None:
    page = client.get(f"{API}/events?after=0&limit=1000", headers=auth["auditor"]).get_json()

    proposed = next(e for e in page["events"] if e["aggregate_id"] == str(story.plan_id))
    assert proposed["type"] == "PlanProposed" and proposed["aggregate_type"] == "TreatmentPlan"
    assert proposed["version"] == 1 and proposed["actor"]["role"] == "therapist"
    assert proposed["data"]["assessment"]["complaint"] == "stiff neck"
    assert all("token_hash" not in e["data"] for e in page["events"])


@pytest.mark.parametrize("role", ["front_desk", "therapist"])
def test_only_auditors_and_admins_read_the_feed(
    client: FlaskClient, story: Story, auth: Headers, role: str
) -> None:
    assert_problem(client.get(f"{API}/events", headers=auth[role]), 403)


def test_the_whole_store_and_a_plan_verify_ok_until_a_byte_changes(
    client: FlaskClient, story: Story, auth: Headers, database_url: str
) -> None:
    whole = client.get(f"{API}/audit/verify", headers=auth["auditor"]).get_json()
    plan = client.get(
        f"{API}/plans/{story.plan_id}/history/verify", headers=auth["auditor"]
    ).get_json()
    assert whole["ok"] and plan["ok"] and whole["first_problem"] is None
    assert len(whole["head_hash"]) == 64

    tamperer = SQLiteTamperer(database_url)
    position = tamperer.position_of(story.plan_id, 7)
    tamperer.change_byte(position)

    whole = client.get(f"{API}/audit/verify", headers=auth["auditor"]).get_json()
    plan = client.get(
        f"{API}/plans/{story.plan_id}/history/verify", headers=auth["auditor"]
    ).get_json()
    for report in (whole, plan):
        assert not report["ok"]
        assert report["first_problem"]["position"] == position
        assert report["first_problem"]["kind"] == "changed"
        assert report["first_problem"]["version"] == 7


def test_a_stored_cell_of_the_wrong_type_is_a_located_problem_never_a_500(
    client: FlaskClient, story: Story, auth: Headers, database_url: str
) -> None:
    tamperer = SQLiteTamperer(database_url)
    position = tamperer.position_of(story.plan_id, 7)
    tamperer.set_cell(position, "state", 42)

    for path in ("audit/verify", f"plans/{story.plan_id}/history/verify"):
        response = client.get(f"{API}/{path}", headers=auth["auditor"])
        assert response.status_code == 200, response.get_data(as_text=True)
        problem = response.get_json()["first_problem"]
        assert (problem["position"], problem["kind"], problem["version"]) == (
            position,
            "malformed",
            7,
        )
        assert "state is the number 42, not bytes" in problem["detail"]


def test_verifying_an_unknown_plan_is_not_found(client: FlaskClient, auth: Headers) -> None:
    response = client.get(f"{API}/plans/{uuid4()}/history/verify", headers=auth["auditor"])

    assert_problem(response, 404)


def filled(rule: str, plan_id: UUID) -> str:
    """A concrete path for a URL rule: the plan's id, session 1, any other id."""
    path = rule.replace("<uuid:plan_id>", str(plan_id)).replace("<int:number>", "1")
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        path = path[:start] + str(uuid4()) + path[end + 1 :]
    return path


def test_an_auditor_token_on_any_post_put_patch_or_delete_is_forbidden(
    app: Flask, client: FlaskClient, regimen: Regimen, plan_id: UUID, tokens: dict[str, str]
) -> None:
    writes = [
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(f"{API}/")
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"})
    ]
    assert len(writes) >= 20

    with writes_nothing(regimen):
        for method, rule in writes:
            response = client.open(
                filled(rule, plan_id),
                method=method,
                json={},
                headers={**bearer(tokens["auditor"]), "Idempotency-Key": str(uuid4())},
            )
            assert_problem(response, 403, "auditor")
