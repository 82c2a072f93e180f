"""Projection rebuild: Regimen's rebuild of every view vs the library's raw read of the log.

The baseline reads every notification with the recorder and decodes it into a
domain event (what any projection must do at least); Regimen's figure is
`Projector.rebuild()` of all views. Target: at least a third of the baseline's speed.
The baseline is timed just before and just after the rebuild and the two averaged, so
that a busy moment of a shared machine weighs on both sides alike; the ratio is also
given in the process's CPU time, which other work on the machine moves much less.

    python -m bench.rebuild [--events 100000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench.common import machine, sqlite_with_events
from service.bootstrap import build_regimen
from service.config import Settings
from service.projections.projector import Projector

PAGE = 1000


def raw_read(regimen: object) -> int:
    """Read and decode the whole log, as the library would; returns the count."""
    recorder, mapper = regimen.recorder, regimen.mapper  # type: ignore[attr-defined]
    start, count = 0, 0
    while True:
        page = recorder.select_notifications(start=start, limit=PAGE, inclusive_of_start=False)
        if not page:
            return count
        for notification in page:
            mapper.to_domain_event(notification)
        count += len(page)
        start = page[-1].id


def clocked(action: Callable[[], int]) -> tuple[int, float, float]:
    """What the action returns, with the wall and this process's CPU seconds it took."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    regimen = build_regimen(Settings(database_url=sqlite_with_events(args.events)))
    try:
        projector = Projector(regimen)
        projector.catch_up()
        count, wall_before, cpu_before = clocked(lambda: raw_read(regimen))
        rebuilt, wall, cpu = clocked(projector.rebuild)
        _, wall_after, cpu_after = clocked(lambda: raw_read(regimen))
    finally:
        regimen.close()
    raw, ours = 2 * count / (wall_before + wall_after), rebuilt / wall
    print(f"\nProjection rebuild on SQLite, {count} events  ({machine()})")
    print(
        f"raw read + decode     {raw:>10.0f} events/s   (baseline: before"
        f" {count / wall_before:.0f}, after {count / wall_after:.0f})"
    )
    print(f"rebuild of all views  {ours:>10.0f} events/s")
    print(f"ratio                 {ours / raw:>10.2f}            target >= 0.33")
    # On a shared machine the process's CPU time moves far less than the wall time.
    cpu_ratio = (cpu_before + cpu_after) / 2 / cpu
    print(f"ratio of CPU time     {cpu_ratio:>10.2f}            (the same, in this process's CPU)")


if __name__ == "__main__":
    main()
