"""The real server process, driven over HTTP as a clinic would use it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role
from tests.api.helpers import bearer
from tests.builders import ADMIN, agreed_plan, people_of, small_clinic

pytestmark = pytest.mark.system


def prepare(database_url: str) -> tuple[dict[str, str], Any]:
    """A small clinic and a token per role in a fresh database."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        clinic = small_clinic(regimen)
        tokens = {
            role.value: regimen.add_user(f"sys-{role.value}", role, ADMIN)[1]
            for role in (Role.ADMIN, Role.FRONT_DESK, Role.AUDITOR)
        }
        tokens["therapist"] = regimen.add_user(
            "sys-therapist", Role.THERAPIST, ADMIN, therapist_id=clinic.therapist_id
        )[1]
        plans = [
            agreed_plan(regimen, clinic, client_id=clinic.other_client_id, room_id=None)
            for _ in range(8)
        ]
    finally:
        regimen.close()
    return tokens, (clinic, plans)


def test_the_lifecycle_runs_over_http_against_the_real_server(serve, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    tokens, (clinic, _) = prepare(sqlite_url)
    server = serve(sqlite_url)
    therapist, desk = bearer(tokens["therapist"]), bearer(tokens["front_desk"])
    proposal = {
        **people_of(clinic),
        "assessment": {"complaint": "low back pain", "pain_level": 7},
        "intention": "clinical",
        "focus_areas": ["lower back"],
        "modalities": ["swedish"],
        "series": {"sessions": 4, "interval_days": 7, "session_minutes": 60},
    }
    created = requests.post(
        server.url("/api/v1/plans"), json=proposal, headers=therapist, timeout=10
    )
    assert created.status_code == 201, created.text
    plan = server.url(f"/api/v1/plans/{created.json()['id']}")
    assert requests.post(f"{plan}/agree", json={}, headers=desk, timeout=10).status_code == 200
    booked = requests.post(
        f"{plan}/sessions",
        json={"start": "2030-03-11T10:00", "timezone": "Europe/London"},
        headers=desk,
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["start"].startswith("2030-03-11T10:00:00")
    before = requests.get(plan, headers=therapist, timeout=10).headers["ETag"]
    performed = requests.post(
        f"{plan}/sessions/1/perform",
        json={"techniques": ["effleurage"], "duration_minutes": 50, "pain_before": 7},
        headers=therapist,
        timeout=10,
    )
    assert performed.status_code == 409, performed.text  # it starts in 2030
    assert "before it has started" in performed.json()["detail"]
    assert requests.get(plan, headers=therapist, timeout=10).headers["ETag"] == before
    cancelled = requests.post(
        f"{plan}/sessions/1/cancel", json={"reason": "moved away"}, headers=desk, timeout=10
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["sessions"][0]["late_cancel"] is False
    done = requests.post(f"{plan}/complete", json={"note": "ok"}, headers=therapist, timeout=10)
    assert done.json()["status"] == "completed"
    history = requests.get(f"{plan}/history", headers=bearer(tokens["auditor"]), timeout=10).json()
    assert [e["type"] for e in history] == [
        "PlanProposed",
        "PlanAgreed",
        "SessionBooked",
        "SessionCancelled",
        "PlanCompleted",
    ]
    assert [e["actor"]["role"] for e in history] == [
        "therapist",
        "front_desk",
        "front_desk",
        "front_desk",
        "therapist",
    ]


@pytest.mark.postgres
def test_many_processes_never_double_book_a_therapist(serve, postgres_url: str) -> None:  # type: ignore[no-untyped-def]
    tokens, (_, plans) = prepare(postgres_url)
    servers = [serve(postgres_url, workers=2), serve(postgres_url, workers=2)]
    desk = bearer(tokens["front_desk"])

    def book(index: int) -> int:
        server = servers[index % len(servers)]
        response = requests.post(
            server.url(f"/api/v1/plans/{plans[index]}/sessions"),
            json={"start": "2030-03-11T10:00", "timezone": "Europe/London"},
            headers=desk,
            timeout=30,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        statuses = list(pool.map(book, range(len(plans))))
    assert sorted(statuses) == [201] + [409] * (len(plans) - 1)
    regimen = build_regimen(Settings(database_url=postgres_url))
    try:
        booked = [p for p in plans if regimen.plan(p).sessions]
    finally:
        regimen.close()
    assert len(booked) == 1


def test_a_booking_through_one_server_shows_in_the_day_sheet_of_another(  # type: ignore[no-untyped-def]
    serve, shared_database_url: str
) -> None:
    database_url = shared_database_url
    tokens, (clinic, plans) = prepare(database_url)
    booking_server, reading_server = serve(database_url, workers=1), serve(database_url, workers=1)
    sheet_url = reading_server.url(f"/api/v1/therapists/{clinic.therapist_id}/day-sheet")
    desk = bearer(tokens["front_desk"])
    before = requests.get(sheet_url, params={"date": "2030-03-11"}, headers=desk, timeout=10)
    assert before.json()["sessions"] == []
    booked = requests.post(
        booking_server.url(f"/api/v1/plans/{plans[0]}/sessions"),
        json={"start": "2030-03-11T10:00", "timezone": "Europe/London"},
        headers=desk,
        timeout=10,
    )
    assert booked.status_code == 201
    after = requests.get(sheet_url, params={"date": "2030-03-11"}, headers=desk, timeout=10)
    assert [(s["plan_id"], s["local_start"]) for s in after.json()["sessions"]] == [
        (str(plans[0]), "2030-03-11T10:00")
    ]
