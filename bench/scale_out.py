"""Scale-out on PostgreSQL: booking throughput with 1, 2 and 4 gunicorn workers.

Each run starts `regimen serve --workers N` on a fresh schema and books single
sessions for many plans from 8 client threads at once; plans are spread over
therapists and days so that bookings rarely contend for one calendar day.
Prints bookings per second for each worker count and the speed-up over one.
On a 2-core machine expect the gain to stop at 2 workers.

    python -m bench.scale_out [--bookings 240]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from uuid import UUID

import requests

from bench.common import Server, drop_postgres_schema, machine, postgres_url
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role
from tests.builders import ADMIN, agreed_plan, small_clinic

WORKERS = (1, 2, 4)
THREADS = 8


def prepare(database_url: str, bookings: int) -> tuple[list[tuple[UUID, str]], str]:
    """Agreed plans, each with its own free slot, and a front-desk token."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        clinic = small_clinic(regimen)
        therapists = (clinic.therapist_id, clinic.other_therapist_id)
        work = []
        for index in range(bookings):
            therapist = therapists[index % 2]
            plan_id = agreed_plan(regimen, clinic, therapist_id=therapist, room_id=None)
            # Consecutive bookings go to different days, as real bookings mostly do.
            slot = index // 2
            day = date(2030, 3, 4) + timedelta(days=slot % 5, weeks=slot // 60)
            hour = 8 + (slot // 5) % 12
            work.append((plan_id, f"{day}T{hour:02d}:00"))
        token = regimen.add_user("bench-desk", Role.FRONT_DESK, ADMIN)[1]
    finally:
        regimen.close()
    return work, token


def throughput(workers: int, bookings: int) -> float:
    """Bookings per second through a server with this many workers."""
    url = postgres_url()
    if url is None:
        raise SystemExit("PostgreSQL is not reachable: set REGIMEN_BENCH_POSTGRES_URL")
    try:
        work, token = prepare(url, bookings)
        with Server(url, workers=workers) as server:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"

            def book(item: tuple[UUID, str]) -> int:
                plan_id, start = item
                response = session.post(
                    f"{server.url}/api/v1/plans/{plan_id}/sessions",
                    json={"start": start, "timezone": "Europe/London"},
                    timeout=60,
                )
                return response.status_code

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=THREADS) as pool:
                statuses = list(pool.map(book, work))
            elapsed = time.perf_counter() - started
            session.close()
        assert statuses.count(201) == len(work), sorted(set(statuses))
        return len(work) / elapsed
    finally:
        drop_postgres_schema(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=240)
    args = parser.parse_args()
    rates = {workers: throughput(workers, args.bookings) for workers in WORKERS}
    print(f"\nScale-out on PostgreSQL, {args.bookings} bookings, {THREADS} clients  ({machine()})")
    print(f"{'workers':>8}{'bookings/s':>12}{'vs 1':>8}")
    for workers, rate in rates.items():
        print(f"{workers:>8}{rate:>12.1f}{rate / rates[1]:>8.2f}")


if __name__ == "__main__":
    main()
