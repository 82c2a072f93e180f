"""`/metrics` from a real server with two gunicorn workers: every booking counted, whichever
worker booked it and whichever answers the scrape (prometheus-client's multiprocess mode)."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
import requests

from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role
from tests.api.helpers import bearer
from tests.builders import ADMIN, ZONE, people_of, small_clinic

TOKEN = "system-test-metrics-token"
BOOKINGS = 100
TIMEOUT = 60  # a deadline for a loaded machine, not a measurement


def slots(count: int) -> list[str]:
    """`count` distinct open hours (Monday to Saturday, 08:00-19:00) from next week on."""
    day = date.today() + timedelta(days=7)
    found: list[str] = []
    while len(found) < count:
        if day.weekday() < 6:
            found += [f"{day.isoformat()}T{hour:02d}:00" for hour in range(8, 20)]
        day += timedelta(days=1)
    return found[:count]


def total(text: str, name: str, **labels: str) -> float:
    """The sum of the samples of `name` having these labels."""
    found = 0.0
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and labels.items() <= dict(re.findall(r'(\w+)="([^"]*)"', match.group(1))).items():
            found += float(match.group(2))
    return found


def test_every_booking_is_counted_from_both_workers(
    sqlite_url: str, serve: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        clinic = small_clinic(regimen)
        _, desk = regimen.add_user("metrics-desk", Role.FRONT_DESK, ADMIN)
    finally:
        regimen.close()
    monkeypatch.setenv("REGIMEN_METRICS_TOKEN", TOKEN)
    server = serve(sqlite_url, workers=2)
    headers = bearer(desk)

    def book_day(starts: list[str]) -> list[int]:
        """One desk books one day's hours, one after another (desks on other days at once:
        two saves of the same calendar day at once may answer 409, as they should)."""
        answers = []
        for start in starts:
            body = {**people_of(clinic), "kind": "single", "start": start, "timezone": ZONE}
            answer = requests.post(
                server.url("/api/v1/visits"),
                json={**body, "minutes": 60},
                headers=headers,
                timeout=TIMEOUT,
            )
            answers.append(answer.status_code)
        return answers

    days: dict[str, list[str]] = {}
    for start in slots(BOOKINGS):
        days.setdefault(start[:10], []).append(start)
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = [status for day in pool.map(book_day, days.values()) for status in day]
    assert statuses == [201] * BOOKINGS

    scrape = bearer(TOKEN)
    answers = [
        requests.get(server.url("/metrics"), headers=scrape, timeout=TIMEOUT) for _ in range(6)
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        text = answer.text
        assert total(text, "regimen_bookings_total", outcome="booked") == BOOKINGS
        booked = total(
            text, "regimen_http_requests_total", method="POST", route="/api/v1/visits", status="201"
        )
        assert booked == BOOKINGS
        assert total(text, "regimen_view_stuck") == 0
    assert requests.get(server.url("/metrics"), timeout=TIMEOUT).status_code == 401
