"""No cache keeps what the API answers: every answer under /api/v1 says no-store, problems
and the progress report included; the calendar feed and Swagger UI's files keep theirs."""

from __future__ import annotations

from uuid import UUID

from flask.testing import FlaskClient

from tests.api.helpers import Headers
from tests.builders import Clinic

API = "/api/v1"


def test_every_api_answer_says_no_store_whatever_it_is(
    client: FlaskClient, clinic: Clinic, auth: Headers, plan_id: UUID, first_session_treated: None
) -> None:
    asked = [
        ("GET", f"{API}/clients?q=Cora", auth["front_desk"], 200),
        ("GET", f"{API}/clients/{clinic.client_id}", auth["front_desk"], 200),
        ("GET", f"{API}/plans/{plan_id}", auth["therapist"], 200),
        ("GET", f"{API}/plans/{plan_id}/history", auth["auditor"], 200),
        ("GET", f"{API}/plans/{plan_id}/progress-report", auth["therapist"], 200),
        ("GET", f"{API}/audit/index", auth["auditor"], 200),
        ("GET", f"{API}/events", auth["auditor"], 200),
        ("GET", f"{API}/openapi.json", {}, 200),
        ("GET", f"{API}/clients", {}, 401),
        ("GET", f"{API}/audit/index", auth["front_desk"], 403),
        ("GET", f"{API}/plans/{UUID(int=7)}", auth["therapist"], 404),
        ("GET", f"{API}/no/such/thing", auth["admin"], 404),
        ("POST", f"{API}/clients", auth["front_desk"], 422),
    ]
    for method, path, headers, status in asked:
        answer = client.open(
            path, method=method, headers=headers, json={} if method == "POST" else None
        )
        assert answer.status_code == status, (path, answer.get_data(as_text=True)[:300])
        assert answer.headers.get("Cache-Control") == "no-store", (path, answer.mimetype)


def test_the_feed_and_the_docs_files_keep_their_own_caching(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    issued = client.post(f"{API}/clients/{clinic.client_id}/feed-token", headers=auth["front_desk"])
    feed = client.get(f"/feeds/{issued.get_json()['token']}.ics")
    assert feed.status_code == 200 and feed.headers["Cache-Control"] == "private, no-cache"
    with client.get("/api/docs/assets/swagger-ui.css") as asset:
        assert asset.status_code == 200
        assert asset.headers.get("Cache-Control") != "no-store"
