"""Command path: booking a 10-session series over HTTP, beside two baselines.

Ours: POST /api/v1/plans/{id}/series to a real `regimen serve` process (one worker),
everything included — HTTP, auth, validation, loading the plan, the clinic, the
therapist and every calendar day touched, the booking policy, the one atomic save with
its audit seals, and the response.

Baselines, on the same database:
- bare HTTP + save (the fair one, target <= 2.0x): the least Flask app under the same
  gunicorn set-up (bench/bare_http.py) parsing the same JSON and saving the same events,
  built before it serves, with the library's bare `Application.save`;
- bare save (secondary, <= 4.0x): the same events written in-process by the library's
  `Application.save` through its own recorder (no HTTP, no sealing, no checks), one
  application (and connection pool) for the whole measurement.

The three are timed in turns, one booking each at a time, after a few untimed bookings
on each (every process warm, as a serving one is): the machine's disk answers fsync in
bursts of slow and quick, and turns this short give every path the same share of both
(in one hour, six runs in turns of ten spread over 1.67-2.64x, and twenty-two in turns
of one over 1.61-2.27x, twenty of them within 1.93-2.27x). Each HTTP request is a new
connection made with the standard library's http.client.

    python -m bench.command_path [--series 60] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

from bench.bare_http import SERIES, ZONE, BareLibrary, series_events
from bench.common import Server, analyzed, drop_postgres_schema, machine, postgres_url
from service.application import Regimen
from service.application.commands import TherapistDetails
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role
from tests.builders import ADMIN, WEEKDAYS_8_TO_20, agreed_plan, small_clinic

WARM = 5  # untimed series booked first on each path


def first_start(index: int) -> datetime:
    """Each series on weekdays of its own (a weekday, then every 7 days for 10 weeks): the
    baseline's events are built before any is saved, so no two may touch the same day."""
    week_block, day = divmod(index, 5)
    return datetime(2030, 3, 4, 10, 0) + timedelta(weeks=10 * week_block, days=day)


def prepare(database_url: str, count: int) -> tuple[list[list[UUID]], str]:
    """Plans for each of the three measurements (each with its own therapist and room, so
    that their calendar days never meet), and a front-desk token."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        clinic = small_clinic(regimen)
        third = regimen.register_therapist(
            TherapistDetails(name="Cy Therapist", modalities=("swedish",)), actor=ADMIN
        )
        regimen.set_working_hours(third, WEEKDAYS_8_TO_20, ADMIN)
        room = regimen.add_room(name="Room C", actor=ADMIN)
        staff = [
            (clinic.therapist_id, clinic.room_id),
            (clinic.other_therapist_id, clinic.other_room_id),
            (third, room),
        ]
        plans = [
            [
                agreed_plan(regimen, clinic, series=SERIES, therapist_id=t, room_id=r)
                for _ in range(count)
            ]
            for t, r in staff
        ]
        token = regimen.add_user("bench-desk", Role.FRONT_DESK, ADMIN)[1]
    finally:
        regimen.close()
    return plans, token


def bare_saves(regimen: Regimen, bare: BareLibrary, plans: list[UUID], offset: int) -> list[float]:
    """Seconds per bare library save of each series' events, built in memory beforehand."""
    seconds = []
    for index, plan_id in enumerate(plans):
        plan, days = series_events(regimen, plan_id, first_start(offset + index))
        started = time.perf_counter()
        bare.save(plan, *days)
        seconds.append(time.perf_counter() - started)
    return seconds


def http_bookings(server: Server, plans: list[UUID], token: str, offset: int) -> list[float]:
    """Seconds per series booking over HTTP, each on a new connection."""
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


def measure(database_url: str, count: int, folder: str) -> tuple[float, float, float]:
    """Median seconds: bare save, bare HTTP + save, Regimen's HTTP booking."""
    (ours, bare_http, base), token = prepare(database_url, WARM + count)
    analyzed(database_url)
    listed = Path(folder) / "bare-plans.json"
    starts = [first_start(i).isoformat() for i in range(WARM + count)]
    listed.write_text(json.dumps([[str(p), s] for p, s in zip(bare_http, starts, strict=True)]))
    runs: tuple[list[float], list[float], list[float]] = ([], [], [])
    bare_server = Server(
        database_url, command=[sys.executable, "-m", "bench.bare_http", str(listed)]
    )
    settings = Settings(database_url=database_url)
    regimen = build_regimen(settings)
    bare = BareLibrary(env=settings.eventsourcing_env())  # one pool, warm, as the servers'
    try:
        with Server(database_url) as server, bare_server:
            http_bookings(server, ours[:WARM], token, 0)
            http_bookings(bare_server, bare_http[:WARM], token, 0)
            bare_saves(regimen, bare, base[:WARM], 0)
            for offset in range(WARM, WARM + count):
                turn = slice(offset, offset + 1)
                runs[2].extend(http_bookings(server, ours[turn], token, offset))
                runs[1].extend(http_bookings(bare_server, bare_http[turn], token, offset))
                runs[0].extend(bare_saves(regimen, bare, base[turn], offset))
    finally:
        bare.close()
        regimen.close()
    saved, served, booked = (statistics.median(r) for r in runs)
    return saved, served, booked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=60)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    print(f"\nCommand path: a 10-session series  ({machine()})")
    print(
        f"{'database':<12}{'bare save':>11}{'bare HTTP':>11}{'Regimen':>10}"
        f"{'vs bare HTTP':>14}{'vs bare save':>14}   targets <= 2.0, <= 4.0"
    )
    urls: list[tuple[str, str | None]] = []
    if args.backend in ("sqlite", "both"):
        urls.append(("SQLite", "sqlite"))
    if args.backend in ("postgres", "both"):
        urls.append(("PostgreSQL", postgres_url()))
    for name, url in urls:
        if url is None:
            print(f"{name:<12}not reachable: skipped")
            continue
        with tempfile.TemporaryDirectory() as folder:
            database = f"sqlite:///{folder}/command.db" if url == "sqlite" else url
            try:
                bare, web, ours = measure(database, args.series, folder)
            finally:
                if url != "sqlite":
                    drop_postgres_schema(url)
        print(
            f"{name:<12}{bare * 1000:>9.2f}ms{web * 1000:>9.2f}ms{ours * 1000:>8.2f}ms"
            f"{ours / web:>14.2f}{ours / bare:>14.2f}"
        )


if __name__ == "__main__":
    main()
