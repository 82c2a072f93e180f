"""Projection rebuild: Regimen's rebuild of every view vs the library's raw read of the log.

The baseline reads every notification with the recorder and decodes it into a
domain event (what any projection must do at least); Regimen's figure is
`Projector.rebuild()` of all views. Target: at least a third of the baseline's speed.
The baseline is timed just before and just after the rebuild and the two averaged, so
that a busy moment of a shared machine weighs on both sides alike.

    python -m bench.rebuild [--events 100000]
"""

from __future__ import annotations

import argparse
import time

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    regimen = build_regimen(Settings(database_url=sqlite_with_events(args.events)))
    try:
        projector = Projector(regimen)
        projector.catch_up()
        started = time.perf_counter()
        count = raw_read(regimen)
        before = time.perf_counter() - started
        started = time.perf_counter()
        rebuilt = projector.rebuild()
        ours = rebuilt / (time.perf_counter() - started)
        started = time.perf_counter()
        raw_read(regimen)
        after = time.perf_counter() - started
    finally:
        regimen.close()
    print(f"\nProjection rebuild on SQLite, {count} events  ({machine()})")
    raw = 2 * count / (before + after)
    print(
        f"raw read + decode     {raw:>10.0f} events/s   (baseline: before {count / before:.0f},"
        f" after {count / after:.0f})"
    )
    print(f"rebuild of all views  {ours:>10.0f} events/s")
    print(f"ratio                 {ours / raw:>10.2f}            target >= 0.33")


if __name__ == "__main__":
    main()
