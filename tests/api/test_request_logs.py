"""Every request gets an id and one access line; no log record names a client or a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from service.logs import configure_logging
from tests.api.helpers import Headers
from tests.builders import Clinic

API = "/api/v1"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything logged during the test, as the processes write it: JSON lines."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    configure_logging(stream=stream)
    yield stream
    for handler in [h for h in root.handlers if getattr(h, "regimen", False)]:
        root.removeHandler(handler)
    root.setLevel(level)


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def access_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [r for r in records(stream) if r["logger"] == "regimen.access"]


def test_a_request_id_sent_is_returned_and_logged(
    client: FlaskClient, auth: Headers, clinic: Clinic, log_lines: io.StringIO
) -> None:
    answer = client.get(
        f"{API}/clients/{clinic.client_id}",
        headers={**auth["front_desk"], "X-Request-ID": "req-42.a_b"},
    )
    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] == "req-42.a_b"
    [line] = access_lines(log_lines)
    assert line["request_id"] == "req-42.a_b"
    assert line["method"] == "GET"
    assert line["route"] == f"{API}/clients/<uuid:client_id>"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["role"] == "front_desk" and line["user_id"]
    assert str(clinic.client_id) not in json.dumps(line)


@pytest.mark.parametrize("sent", ["", "x" * 65, "a b", "<script>", "id;forged", "é"])
def test_an_unsafe_request_id_is_replaced_by_a_new_one(
    client: FlaskClient, sent: str, log_lines: io.StringIO
) -> None:
    answer = client.get("/health/live", headers={"X-Request-ID": sent} if sent else {})
    made = answer.headers["X-Request-ID"]
    assert made != sent and len(made) == 32
    [line] = access_lines(log_lines)
    assert line["request_id"] == made


def test_a_problem_carries_the_request_id(client: FlaskClient, log_lines: io.StringIO) -> None:
    answer = client.get(f"{API}/clients", headers={"X-Request-ID": "abc123"})
    assert answer.status_code == 401
    assert answer.get_json()["request_id"] == "abc123"
    [line] = access_lines(log_lines)
    assert (line["request_id"], line["status"], line["user_id"]) == ("abc123", 401, None)


def test_a_search_and_a_feed_leave_no_name_email_query_or_token_in_the_log(
    client: FlaskClient,
    auth: Headers,
    clinic: Clinic,
    log_lines: io.StringIO,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    found = client.get(f"{API}/clients?q=Cora%20Client", headers=auth["front_desk"])
    assert found.status_code == 200 and found.get_json()
    by_email = client.get(f"{API}/clients?q=cora@example.org", headers=auth["front_desk"])
    assert by_email.status_code == 200
    issued = client.post(
        f"{API}/clients/{clinic.client_id}/feed-token", headers=auth["front_desk"]
    ).get_json()
    token = issued["token"]
    assert client.get(f"/feeds/{token}.ics").status_code == 200
    assert client.get(f"/feeds/{token}x.ics").status_code == 404

    routes = [line["route"] for line in access_lines(log_lines)]
    assert routes == [
        f"{API}/clients",
        f"{API}/clients",
        f"{API}/clients/<uuid:client_id>/feed-token",
        "/feeds/<token>.ics",
        "/feeds/<token>.ics",
    ]
    written = log_lines.getvalue()
    captured = "\n".join(
        f"{r.getMessage()} {json.dumps(vars(r), default=str)}" for r in caplog.records
    )
    for secret in ("Cora", "cora@example.org", "q=", token, str(clinic.client_id)):
        assert secret not in written
        assert secret not in captured
