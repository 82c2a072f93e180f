"""Query path: day sheet, calendar and client schedule at a small and a large history.

The same questions over HTTP (the Flask app in-process) against a database of
--small events and one of --large events; the ratio large/small should stay
within 1.2: queries read indexed views, never the log.

    python -m bench.query_path [--small 10000] [--large 1000000] [--repeat 200]
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from bench.common import report, sqlite_with_events, timed
from service.api import create_app
from service.config import Settings
from service.domain.values import Actor, Role


def probe(database_url: str, repeat: int) -> dict[str, float]:
    """Median seconds of each query on this database."""
    app = create_app(Settings(database_url=database_url))
    regimen = app.extensions["regimen"]
    reads = app.extensions["regimen.reads"]
    reads.fresh()  # the views are built once, outside the timing
    token = regimen.add_user("bench", Role.FRONT_DESK, Actor("bench", Role.ADMIN))[1]
    headers = {"Authorization": f"Bearer {token}"}
    reads.fresh()
    busiest = reads.recorder.query(
        "SELECT therapist_id, client_id, substr(local_start, 1, 10) AS day FROM rv_sessions"
        " ORDER BY start_utc DESC LIMIT 1"
    )[0]
    client = app.test_client()
    day = busiest["day"]
    import datetime as dt

    monday = dt.date.fromisoformat(day)
    monday -= timedelta(days=monday.weekday())
    queries = {
        "day sheet": f"/api/v1/therapists/{busiest['therapist_id']}/day-sheet?date={day}",
        "calendar (week, therapist)": f"/api/v1/calendar?from={monday}&to={monday + timedelta(days=6)}"
        f"&therapist_id={busiest['therapist_id']}",
        "client schedule": f"/api/v1/clients/{busiest['client_id']}/sessions",
    }
    figures = {}
    for name, url in queries.items():
        assert client.get(url, headers=headers).status_code == 200, url
        figures[name] = timed(lambda url=url: client.get(url, headers=headers), repeat)
    regimen.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    small = probe(sqlite_with_events(args.small), args.repeat)
    large = probe(sqlite_with_events(args.large), args.repeat)
    report(
        f"Query path on SQLite: {args.small} vs {args.large} events",
        [(name, small[name], large[name]) for name in small],
        baseline=f"{args.small}",
        ours=f"{args.large}",
        target="<= 1.2",
    )


if __name__ == "__main__":
    main()
