"""Bad input against the real server: every answer a clear 4xx problem, nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from service.bootstrap import build_regimen
from service.config import Settings
from tests.api.helpers import bearer
from tests.system.test_server import prepare

pytestmark = pytest.mark.system


def position(database_url: str) -> int:
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        return regimen.recorder.max_notification_id() or 0
    finally:
        regimen.close()


def assert_problem(response: requests.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    for word in words:
        assert word in response.text, (word, body)


def test_bad_input_gets_clear_problems_and_writes_nothing(serve, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    tokens, (clinic, plans) = prepare(sqlite_url)
    server = serve(sqlite_url, workers=1)
    desk, therapist = bearer(tokens["front_desk"]), bearer(tokens["therapist"])
    series_url = server.url(f"/api/v1/plans/{plans[0]}/series")
    before = position(sqlite_url)

    oversize = requests.post(
        series_url,
        data=b"{" + b" " * 1_000_000 + b"}",
        headers={**desk, "Content-Type": "application/json"},
        timeout=30,
    )
    assert_problem(oversize, 413)

    invalid_utf8 = requests.post(
        series_url,
        data=b'{"first_start": "\xff\xfe"}',
        headers={**desk, "Content-Type": "application/json"},
        timeout=30,
    )
    assert_problem(invalid_utf8, 400, "JSON")

    for year in ("0001", "9999"):
        absurd = requests.post(
            series_url,
            json={"first_start": f"{year}-03-04T10:00", "timezone": "Europe/London"},
            headers=desk,
            timeout=30,
        )
        assert_problem(absurd, 422, "year")

    proposal = {
        "client_id": str(clinic.client_id),
        "therapist_id": str(clinic.therapist_id),
        "assessment": {"complaint": "back pain", "pain_level": 5},
        "intention": "clinical",
        "focus_areas": ["lower back"],
        "modalities": ["swedish"],
        "series": {"sessions": 10_000, "interval_days": 1, "session_minutes": 60},
    }
    huge = requests.post(server.url("/api/v1/plans"), json=proposal, headers=therapist, timeout=30)
    assert_problem(huge, 422, "sessions")

    unknown_zone = requests.post(
        series_url,
        json={"first_start": "2030-03-04T10:00", "timezone": "Mars/Olympus"},
        headers=desk,
        timeout=30,
    )
    assert_problem(unknown_zone, 422, "Mars/Olympus")

    assert position(sqlite_url) == before


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body sent with Transfer-Encoding: chunked (no Content-Length), `total` bytes long."""
    yield b'{"name": "'
    for _ in range(total // size):
        yield b"x" * size
    yield b'"}'


def test_the_server_answers_oversized_requests_with_problems(serve, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    tokens, _ = prepare(sqlite_url)
    server = serve(sqlite_url, workers=1)
    desk = bearer(tokens["front_desk"])
    before = position(sqlite_url)

    chunked = requests.post(
        server.url("/api/v1/clients"),
        data=chunks(1_000_000),
        headers={**desk, "Content-Type": "application/json"},
        timeout=30,
    )
    assert_problem(chunked, 413)

    long_url = requests.get(server.url("/api/v1/clients?q=" + "a" * 6000), headers=desk, timeout=30)
    assert_problem(long_url, 414)

    many_headers = {f"X-Extra-{n}": "1" for n in range(150)}
    crowded = requests.get(
        server.url("/api/v1/clients"), headers={**desk, **many_headers}, timeout=30
    )
    assert_problem(crowded, 431)

    big_header = requests.get(
        server.url("/api/v1/clients"), headers={**desk, "X-Big": "b" * 10_000}, timeout=30
    )
    assert_problem(big_header, 431)

    assert position(sqlite_url) == before
