"""Replay: loading a plan as its history grows, and as-of replay vs the library's own get.

A plan's history is grown to 10, 100, 1,000 and 10,000 events (a session
rescheduled again and again). Loading the current plan should stay flat, thanks to
snapshots every 50 events; it is measured three ways: cold (the first load in a new
process), uncached (nothing kept: the last snapshot and the events since) and cached
(the process's kept aggregate brought up to date: what a busy server mostly does).
Loading it as it stood at a version (Regimen's as-of) should run at no less than 0.8x
the library's own `repository.get(id, version=...)` of a bare `Application` on the same
tables (snapshots on), not Regimen's path.

    python -m bench.replay [--repeat 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from bench.bare_http import BareLibrary
from bench.common import machine, timed
from service.adapters.recent import RecentAggregates
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.plan import TreatmentPlan
from service.scheduler.recurrence import session_time
from tests.builders import DESK, agreed_plan, small_clinic

SIZES = (10, 100, 1_000, 10_000)


def grow(regimen: object, plan_id: object, events: int) -> None:
    """Reschedule session 1 until the plan has `events` events."""
    plan = regimen.repository.get(plan_id)  # type: ignore[attr-defined]
    assert isinstance(plan, TreatmentPlan)
    if not plan.sessions:
        plan.book_session(
            time=session_time(datetime(2030, 3, 4, 9, 0), "Europe/London", 60),
            therapist_id=plan.therapist_id,
            room_id=None,
            actor=DESK,
        )
    minute = 0
    while plan.version < events:
        minute += 1
        local = datetime(2030, 3, 4, 9, 0) + timedelta(minutes=minute % 400)
        plan.reschedule_session(
            1,
            time=session_time(local, "Europe/London", 60),
            therapist_id=plan.therapist_id,
            room_id=None,
            actor=DESK,
        )
        if len(plan.pending_events) >= 500:
            regimen.save(plan)  # type: ignore[attr-defined]
    regimen.save(plan)  # type: ignore[attr-defined]


COLD = """
import sys, time
from uuid import UUID
from service.bootstrap import build_regimen
from service.config import Settings
regimen = build_regimen(Settings(database_url=sys.argv[1]))
started = time.perf_counter()
regimen.plan(UUID(sys.argv[2]))
print(time.perf_counter() - started)
regimen.close()
"""


def cold_load(url: str, plan_id: UUID, repeat: int) -> float:
    """The median seconds of the first load of the plan in a new process (its start and
    the application's construction not counted)."""
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", COLD, url, str(plan_id)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()[-1]
        )
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def uncached_load(regimen: Any, plan_id: UUID) -> Any:
    """A load that finds nothing kept: its last snapshot and the events since, one query."""
    regimen.recent = RecentAggregates(regimen)
    return regimen.plan(plan_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--cold", type=int, default=3, help="new processes per size")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/replay.db"
        settings = Settings(database_url=url)
        regimen = build_regimen(settings)
        library = BareLibrary(env={**settings.eventsourcing_env(), "IS_SNAPSHOTTING_ENABLED": "y"})
        try:
            clinic = small_clinic(regimen)
            plan_id = agreed_plan(regimen, clinic, room_id=None)
            for size in SIZES:
                grow(regimen, plan_id, size)
                cold = cold_load(url, plan_id, args.cold)
                uncached = timed(lambda: uncached_load(regimen, plan_id), args.repeat)
                cached = timed(lambda: regimen.plan(plan_id), args.repeat)
                middle = size // 2 + 1
                bare = timed(
                    lambda m=middle: library.repository.get(plan_id, version=m), args.repeat
                )
                ours = timed(lambda m=middle: regimen.plan(plan_id, version=m), args.repeat)
                rows.append((size, cold, uncached, cached, bare, ours))
        finally:
            library.close()
            regimen.close()
    print(f"\nReplay on SQLite  ({machine()})")
    print(
        f"{'events':>8}{'cold':>10}{'uncached':>11}{'cached':>10}"
        f"{'lib get @v':>13}{'as-of @v':>11}{'speed':>8}   (ms)"
    )
    for size, cold, uncached, cached, bare, ours in rows:
        figures = "".join(
            f"{x * 1000:>{w}.3f}"
            for x, w in ((cold, 10), (uncached, 11), (cached, 10), (bare, 13), (ours, 11))
        )
        print(f"{size:>8}{figures}{bare / ours:>8.2f}")
    for label, column in (("cold", 1), ("uncached", 2), ("cached", 3)):
        print(
            f"{label} load at {SIZES[-1]} vs {SIZES[0]} events:"
            f" {rows[-1][column] / rows[0][column]:.2f}x (flat is ~1)"
        )
    print(
        "as-of speed = the library's own get (a bare Application, snapshots on)"
        " / Regimen's as-of; target >= 0.8"
    )


if __name__ == "__main__":
    main()
