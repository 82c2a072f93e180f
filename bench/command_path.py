"""Command path: booking a 10-session series over HTTP vs the bare library save of its events.

Ours: POST /api/v1/plans/{id}/series to a real `regimen serve` process (one
worker), everything included — HTTP, auth, validation, loading the plan, the
clinic, the therapist and every calendar day touched, the booking policy, and
the one atomic save with its audit seals. Baseline: the same events (the series
rule, ten SessionBooked and the calendar-day events) already built in memory,
written by the library's bare `Application.save` through the library's own
recorder on the same database. Target: at most 2.0x.

    python -m bench.command_path [--series 40] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from bench.common import Server, drop_postgres_schema, machine, postgres_url
from service.adapters.transcodings import register_value_transcodings
from service.application.calendar_work import CalendarWork
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.plan import TreatmentPlan
from service.domain.values import Role, SeriesRule, SeriesSpec
from service.scheduler.recurrence import session_time
from tests.builders import ADMIN, DESK, agreed_plan, small_clinic

SERIES = SeriesSpec(sessions=10, interval_days=7, session_minutes=30)
ZONE = "Europe/London"


def first_start(index: int) -> datetime:
    """Each series its own half-hour of the week, so none conflict."""
    week_block, slot = divmod(index, 24 * 5)
    day, half_hour = divmod(slot, 24)
    return datetime(2030, 3, 4, 8, 0) + timedelta(
        weeks=10 * week_block, days=day, minutes=30 * half_hour
    )


def prepare(database_url: str, count: int) -> tuple[list[UUID], list[UUID], str]:
    """Plans for both measurements, and a front-desk token."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        clinic = small_clinic(regimen)
        ours = [agreed_plan(regimen, clinic, series=SERIES) for _ in range(count)]
        base = [
            agreed_plan(
                regimen,
                clinic,
                series=SERIES,
                therapist_id=clinic.other_therapist_id,
                room_id=clinic.other_room_id,
            )
            for _ in range(count)
        ]
        token = regimen.add_user("bench-desk", Role.FRONT_DESK, ADMIN)[1]
    finally:
        regimen.close()
    return ours, base, token


class BareLibrary(Application[UUID]):
    """The library's application and recorder, knowing Regimen's value types."""

    name = "Regimen"  # the same tables

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_value_transcodings(transcoder)


def bare_saves(database_url: str, plans: list[UUID], offset: int = 0) -> list[float]:
    """Seconds per bare library save of each series' events, built in memory beforehand.

    The events are made by Regimen's domain, then written by the library's own
    `Application.save` through the library's own recorder (no sealing, no checks).
    """
    settings = Settings(database_url=database_url)
    regimen = build_regimen(settings)
    bare = BareLibrary(env=settings.eventsourcing_env())
    seconds = []
    try:
        for index, plan_id in enumerate(plans):
            plan = regimen.load(TreatmentPlan, plan_id)
            work = CalendarWork(regimen, DESK)
            first = first_start(offset + index)
            plan.schedule_series(
                SeriesRule(first, ZONE, 7, "fail", 3, plan.therapist_id, plan.room_id), DESK
            )
            for week in range(SERIES.sessions):
                session = plan.book_session(
                    time=session_time(first + timedelta(weeks=week), ZONE, SERIES.session_minutes),
                    therapist_id=plan.therapist_id,
                    room_id=plan.room_id,
                    actor=DESK,
                )
                work.reserve(plan.id, session)
            changed = work.changed()
            started = time.perf_counter()
            bare.save(plan, *changed)
            seconds.append(time.perf_counter() - started)
    finally:
        bare.close()
        regimen.close()
    return seconds


def http_bookings(server: Server, plans: list[UUID], token: str, offset: int = 0) -> list[float]:
    """Seconds per series booking over HTTP, each on a new connection.

    The client is the standard library's http.client: what is timed is the server
    and the wire, not a client library (requests adds about 0.7 ms a call here).
    """
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    seconds = []
    for index, plan_id in enumerate(plans):
        start = first_start(offset + index).strftime("%Y-%m-%dT%H:%M")
        body = json.dumps({"first_start": start, "timezone": ZONE})
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        started = time.perf_counter()
        connection.request("POST", f"/api/v1/plans/{plan_id}/series", body, headers)
        response = connection.getresponse()
        answer = response.read()
        seconds.append(time.perf_counter() - started)
        connection.close()
        assert response.status == 201, answer
    return seconds


def measure(database_url: str, count: int) -> tuple[float, float]:
    """Median seconds: bare save, HTTP booking (interleaved in halves to share drift)."""
    ours, base, token = prepare(database_url, count)
    half = count // 2
    with Server(database_url) as server:
        http = http_bookings(server, ours[:half], token)
        bare = bare_saves(database_url, base[:half])
        http += http_bookings(server, ours[half:], token, offset=half)
        bare += bare_saves(database_url, base[half:], offset=half)
    return statistics.median(bare), statistics.median(http)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=40)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    print(f"\nCommand path: a 10-session series  ({machine()})")
    print(f"{'database':<12}{'bare save':>12}{'HTTP booking':>15}{'ratio':>8}   target <= 2.0")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            bare, http = measure(f"sqlite:///{folder}/command.db", args.series)
            print(f"{'SQLite':<12}{bare * 1000:>10.2f}ms{http * 1000:>13.2f}ms{http / bare:>8.2f}")
    if args.backend in ("postgres", "both"):
        url = postgres_url()
        if url is None:
            print("PostgreSQL     not reachable: skipped")
            return
        try:
            bare, http = measure(url, args.series)
            print(
                f"{'PostgreSQL':<12}{bare * 1000:>10.2f}ms{http * 1000:>13.2f}ms{http / bare:>8.2f}"
            )
        finally:
            drop_postgres_schema(url)


if __name__ == "__main__":
    main()
