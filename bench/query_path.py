"""Query path: day sheet, calendar and client schedule at a small and a large history.

The same questions over HTTP (the Flask app in-process) against a database of
--small events and one of --large events; the ratio large/small should stay
within 1.2: queries read indexed views, never the log.

    python -m bench.query_path [--small 10000] [--large 1000000] [--repeat 200]
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from bench.common import alternating, report, sqlite_with_events
from service.config import Settings
from service.domain.values import Actor, Role
from service.http.app import create_app


def prepare(database_url: str) -> tuple[Any, dict[str, str], dict[str, str]]:
    """An app on this database with its views built, a token, and the URLs to ask."""
    app = create_app(Settings(database_url=database_url))
    regimen = app.extensions["regimen"]
    reads = app.extensions["regimen.reads"]
    name = f"bench-{uuid4().hex[:8]}"
    token = regimen.add_user(name, Role.FRONT_DESK, Actor("bench", Role.ADMIN))[1]
    reads.fresh()  # the views are built once, outside the timing
    latest = reads.recorder.query(
        "SELECT therapist_id, client_id, substr(local_start, 1, 10) AS day FROM rv_sessions"
        " ORDER BY start_utc DESC LIMIT 1"
    )[0]
    day = date.fromisoformat(latest["day"])
    monday = day - timedelta(days=day.weekday())
    urls = {
        "day sheet": f"/api/v1/therapists/{latest['therapist_id']}/day-sheet?date={day}",
        "calendar (week, therapist)": f"/api/v1/calendar?from={monday}"
        f"&to={monday + timedelta(days=6)}&therapist_id={latest['therapist_id']}",
        "client schedule": f"/api/v1/clients/{latest['client_id']}/sessions",
    }
    return app, {"Authorization": f"Bearer {token}"}, urls


def ok(response: Any) -> None:
    """Stop the bench on an answer that is not 200."""
    assert response.status_code == 200, (response.request.url, response.status_code)


def side_by_side(small: str, large: str, repeat: int) -> list[tuple[str, float, float]]:
    """Median seconds per query on each database, the two timed in alternation."""
    (app_s, head_s, urls_s), (app_l, head_l, urls_l) = prepare(small), prepare(large)
    client_s, client_l = app_s.test_client(), app_l.test_client()
    rows = []
    for name in urls_s:
        small_s, large_s = alternating(
            [
                lambda: ok(client_s.get(urls_s[name], headers=head_s)),  # noqa: B023
                lambda: ok(client_l.get(urls_l[name], headers=head_l)),  # noqa: B023
            ],
            repeat,
            warm=0,
        )
        rows.append((name, small_s, large_s))
    for app in (app_s, app_l):
        app.extensions["regimen"].close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rows = side_by_side(sqlite_with_events(args.small), sqlite_with_events(args.large), args.repeat)
    report(
        f"Query path on SQLite: {args.small} vs {args.large} events",
        rows,
        baseline=f"{args.small}",
        ours=f"{args.large}",
        target="<= 1.2",
    )


if __name__ == "__main__":
    main()
