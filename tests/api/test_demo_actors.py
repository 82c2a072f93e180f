"""Over the demo clinic, the API names who did each thing: the history, the event feed and
the audit index carry a name beside every actor, the command line's included."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.testing import FlaskClient

from service.application import Regimen
from service.application.accounts import OPERATOR, OPERATOR_NAME
from service.cli.demo import seed_demo
from tests.api.helpers import Headers
from tests.api.test_event_feed_types import whole_feed
from tests.builders import all_plans

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
STAFF = {"Ruth Adler", "Maria Lopez", "Amira Haddad", "Tom Becker", "Lena Sørensen"}


def whole_index(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every row of the audit index, page by page."""
    rows: list[dict[str, Any]] = []
    query: dict[str, Any] = {"limit": 200}
    while True:
        answer = client.get("/api/v1/audit/index", query_string=query, headers=headers)
        assert answer.status_code == 200, answer.get_json()
        rows += answer.get_json()
        if "X-Next-Cursor" not in answer.headers:
            return rows
        query["cursor"] = answer.headers["X-Next-Cursor"]


def test_every_demo_event_reads_with_the_name_of_who_did_it(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    seed_demo(regimen, OPERATOR, now=NOW)
    auditor = auth["auditor"]

    # Only the tests' own maker of tokens is no one the clinic knows.
    outside = {"test-admin"}
    feed = whole_feed(client, auditor)
    assert {e["actor"]["user_id"] for e in feed if e["actor_name"] is None} == outside
    assert {e["type"] for e in feed if e["actor"]["user_id"] == OPERATOR.user_id} == {
        "UserAdded",
        "UserEnlisted",
    }
    assert {e["actor_name"] for e in feed} >= {*STAFF, OPERATOR_NAME}

    index = whole_index(client, auditor)
    assert len(index) >= len(feed)
    assert {r["actor_id"] for r in index if r["actor_name"] is None} == outside

    completed = next(p for p in all_plans(regimen) if p.status.value == "completed")
    history = client.get(f"/api/v1/plans/{completed.id}/history", headers=auditor).get_json()
    names = [(e["actor"]["role"], e["actor_name"]) for e in history]
    assert set(names) <= {("therapist", n) for n in STAFF} | {("front_desk", "Maria Lopez")}
    assert ("front_desk", "Maria Lopez") in names
