"""What the benchmarks share: cached databases, timing, and printing figures side by side."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(os.environ.get("REGIMEN_BENCH_DIR", "var/bench"))


def sqlite_with_events(events: int) -> str:
    """A SQLite database holding about `events` events, generated once and kept."""
    from bench.generate import generate

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"history-{events}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        print(f"generating {events} events into {path} (once) ...", flush=True)
        partial = path.with_suffix(".partial")
        for leftover in BENCH_DIR.glob(partial.name + "*"):
            leftover.unlink()
        generate(f"sqlite:///{partial}", events)
        partial.rename(path)
    return url


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median seconds of `repeat` runs, after one warm-up."""
    action()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def machine() -> str:
    """One line about where the figures were measured."""
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def report(
    title: str, rows: list[tuple[str, float, float]], baseline: str, ours: str, target: str
) -> None:
    """Print each figure, its baseline and the ratio."""
    print(f"\n{title}  ({machine()})")
    print(f"{'what':<32}{baseline:>14}{ours:>14}{'ratio':>9}   target {target}")
    for name, base, mine in rows:
        print(f"{name:<32}{base * 1000:>12.3f}ms{mine * 1000:>12.3f}ms{mine / base:>9.2f}")
