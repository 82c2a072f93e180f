"""Scale-out on PostgreSQL: booking throughput with 1, 2 and 4 gunicorn workers.

Each run starts `regimen serve --workers N` on a fresh schema and books single
sessions for many plans from 8 client threads at once, each with its own connections
(a new one per request); plans are spread over therapists and days so that bookings
rarely contend for one calendar day. Prints bookings per second for each worker count,
the speed-up over one, and the p50/p99 of a booking.
On a 2-core machine expect the gain to stop at 2 workers.

    python -m bench.scale_out [--bookings 1000]
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from uuid import UUID

from bench.common import Server, analyzed, drop_postgres_schema, machine, postgres_url
from bench.latency import ask, percentile
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


def throughput(workers: int, bookings: int) -> tuple[float, list[float]]:
    """Bookings per second through a server with this many workers, and each booking's
    seconds; each client thread books its share over its own connections."""
    url = postgres_url()
    if url is None:
        raise SystemExit("PostgreSQL is not reachable: set REGIMEN_BENCH_POSTGRES_URL")
    try:
        work, token = prepare(url, bookings)
        analyzed(url)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        with Server(url, workers=workers) as server:

            def client(share: list[tuple[UUID, str]]) -> list[float]:
                return [
                    ask(
                        server,
                        "POST",
                        f"/api/v1/plans/{plan_id}/sessions",
                        json.dumps({"start": start, "timezone": "Europe/London"}),
                        headers,
                    )
                    for plan_id, start in share
                ]

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=THREADS) as pool:
                shares = list(pool.map(client, [work[n::THREADS] for n in range(THREADS)]))
            elapsed = time.perf_counter() - started
        return len(work) / elapsed, [s for share in shares for s in share]
    finally:
        drop_postgres_schema(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=1000)
    args = parser.parse_args()
    runs = {workers: throughput(workers, args.bookings) for workers in WORKERS}
    print(f"\nScale-out on PostgreSQL, {args.bookings} bookings, {THREADS} clients  ({machine()})")
    print(f"{'workers':>8}{'bookings/s':>12}{'vs 1':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for workers, (rate, seconds) in runs.items():
        p50, p99 = (percentile(seconds, p) for p in (50, 99))
        print(f"{workers:>8}{rate:>12.1f}{rate / runs[1][0]:>8.2f}{p50:>9.1f}{p99:>9.1f}")


if __name__ == "__main__":
    main()
