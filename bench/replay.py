"""Replay: loading a plan as its history grows, and as-of replay vs the library's own get.

A plan's history is grown to 10, 100, 1,000 and 10,000 events (a session
rescheduled again and again). Loading the current plan should stay flat,
thanks to snapshots every 50 events; loading it as it stood at a version
(Regimen's as-of) should run at no less than 0.8x the library's bare
`repository.get(id, version=...)`.

    python -m bench.replay [--repeat 200]
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import datetime, timedelta

from bench.common import machine, timed
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        regimen = build_regimen(Settings(database_url=f"sqlite:///{folder}/replay.db"))
        try:
            clinic = small_clinic(regimen)
            plan_id = agreed_plan(regimen, clinic, room_id=None)
            for size in SIZES:
                grow(regimen, plan_id, size)
                current = timed(lambda: regimen.plan(plan_id), args.repeat)
                middle = size // 2 + 1
                bare = timed(
                    lambda m=middle: regimen.repository.get(plan_id, version=m), args.repeat
                )
                ours = timed(lambda m=middle: regimen.plan(plan_id, version=m), args.repeat)
                rows.append((size, current, bare, ours))
        finally:
            regimen.close()
    print(f"\nReplay on SQLite  ({machine()})")
    print(f"{'events':>8}{'load now':>12}{'get @v (lib)':>15}{'as-of @v':>12}{'speed':>8}")
    for size, current, bare, ours in rows:
        print(
            f"{size:>8}{current * 1000:>10.3f}ms{bare * 1000:>13.3f}ms{ours * 1000:>10.3f}ms"
            f"{bare / ours:>8.2f}"
        )
    flat = rows[-1][1] / rows[0][1]
    print(f"load now at {SIZES[-1]} vs {SIZES[0]} events: {flat:.2f}x (flat is ~1)")
    print("as-of speed = library get / Regimen as-of; target >= 0.8")


if __name__ == "__main__":
    main()
