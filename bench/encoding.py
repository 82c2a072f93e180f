"""Event encoding: the store's compiled transcoder vs the library's JSONTranscoder.

Both encode the states of the 51 events a 10-session series booking saves (the plan's
and the calendar days', made by Regimen's domain, as bench/bare_http.py makes them),
with the same transcodings registered, and must give the same bytes. They are timed in
turns, each turn the best of several repeats, so that a busy moment of the machine falls
on both. Target: at most 0.7x the library's time (it is kept for speed: it is only worth
its code while it is clearly quicker).

    python -m bench.encoding [--turns 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import timeit
from typing import Any

from eventsourcing.persistence import JSONTranscoder

from bench.bare_http import series_events
from bench.command_path import first_start, prepare
from bench.common import machine
from service.adapters.encoding import CompiledTranscoder
from service.bootstrap import build_regimen
from service.config import Settings

REPEATS = 5
NUMBER = 100  # encodings of the whole series per repeat


def series_states(folder: str) -> list[dict[str, Any]]:
    """The state dicts the mapper hands its transcoder for one series booking."""
    url = f"sqlite:///{folder}/encoding.db"
    (plans, _, _), _token = prepare(url, 1)
    regimen = build_regimen(Settings(database_url=url))
    try:
        plan, days = series_events(regimen, plans[0], first_start(0))
    finally:
        regimen.close()
    states = []
    for event in (e for aggregate in (plan, *days) for e in aggregate.pending_events):
        state = dict(vars(event))
        del state["originator_id"], state["originator_version"]
        states.append(state)
    return states


def seconds_per_series(encode: Any, states: list[dict[str, Any]]) -> float:
    """The best of a few repeats: seconds to encode every state of the series once."""
    best = min(timeit.repeat(lambda: [encode(s) for s in states], number=NUMBER, repeat=REPEATS))
    return best / NUMBER


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        states = series_states(folder)
    regimen = build_regimen(Settings(database_url="sqlite:///:memory:"))
    library, compiled = JSONTranscoder(), CompiledTranscoder()
    for transcoder in (library, compiled):
        regimen.register_transcodings(transcoder)
    regimen.close()
    assert [compiled.encode(s) for s in states] == [library.encode(s) for s in states]
    ours, base = [], []
    for _ in range(args.turns):
        base.append(seconds_per_series(library.encode, states))
        ours.append(seconds_per_series(compiled.encode, states))
    ratios = sorted(o / b for o, b in zip(ours, base, strict=True))
    print(f"\nEvent encoding: the {len(states)} events of a series booking  ({machine()})")
    print(f"library JSONTranscoder  {statistics.median(base) * 1000:>7.3f} ms")
    print(f"compiled transcoder     {statistics.median(ours) * 1000:>7.3f} ms")
    print(
        f"ratio {statistics.median(ratios):.2f} (turns: {ratios[0]:.2f}-{ratios[-1]:.2f})"
        "   target <= 0.7"
    )


if __name__ == "__main__":
    main()
