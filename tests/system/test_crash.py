"""SIGKILL the server mid-stream: every acknowledged command survives, nothing is half-written."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import requests

from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role, SeriesSpec, SessionStatus
from service.projections.projector import Projector
from tests.api.helpers import bearer
from tests.app.test_projections import dump
from tests.builders import ADMIN, agreed_plan, small_clinic

pytestmark = pytest.mark.system
PLANS = 40
SERIES = SeriesSpec(sessions=10, interval_days=7, session_minutes=30)


def test_a_killed_server_loses_no_acknowledged_series_and_leaves_none_half_booked(  # type: ignore[no-untyped-def]
    serve, shared_database_url: str
) -> None:
    database_url = shared_database_url
    regimen = build_regimen(Settings(database_url=database_url))
    clinic = small_clinic(regimen)
    token = regimen.add_user("desk", Role.FRONT_DESK, ADMIN)[1]
    # Each plan gets its own half-hour slot on the first therapist's Mondays: no conflicts.
    plans = [agreed_plan(regimen, clinic, series=SERIES, room_id=None) for _ in range(PLANS)]
    regimen.close()
    server = serve(database_url, workers=2)
    acknowledged: list[int] = []
    statuses: list[int] = []  # every answer received before the crash
    killed = threading.Event()

    def book(index: int) -> None:
        # Its own half-hour on Mondays 08:00-20:00; every 24 plans move ten weeks on.
        block, slot = divmod(index, 24)
        first_day = date(2030, 3, 4) + timedelta(weeks=10 * block)
        first = f"{first_day}T{8 + slot // 2:02d}:{30 * (slot % 2):02d}"
        try:
            response = requests.post(
                server.url(f"/api/v1/plans/{plans[index]}/series"),
                json={"first_start": first, "timezone": "Europe/London"},
                headers=bearer(token),
                timeout=30,
            )
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            return  # cut off by the crash (before the answer, or halfway through its body)
        statuses.append(response.status_code)
        if response.status_code == 201:
            acknowledged.append(index)
            if len(acknowledged) == PLANS // 4 and not killed.is_set():
                killed.set()
                server.crash()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(book, range(PLANS)))
    assert killed.is_set(), f"the stream ended before the kill: {statuses}"
    assert len(acknowledged) < PLANS, "the kill came too late to interrupt anything"
    assert all(status < 500 for status in statuses), statuses

    regimen = build_regimen(Settings(database_url=database_url))
    try:
        for index, plan_id in enumerate(plans):
            booked = regimen.plan(plan_id).sessions_in(SessionStatus.BOOKED)
            assert len(booked) in (0, SERIES.sessions), f"plan {index} is half booked"
            if index in acknowledged:
                assert len(booked) == SERIES.sessions, f"acknowledged plan {index} was lost"
        projector = Projector(regimen)
        projector.catch_up()
        resumed = dump(projector)
        projector.rebuild()
        assert dump(projector) == resumed
    finally:
        regimen.close()
