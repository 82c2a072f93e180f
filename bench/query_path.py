"""Query path: day sheet, calendar and client schedule at a small and a large history.

The same questions over HTTP, to a `regimen serve` on a database of --small events and
one on a database of --large events, each asked of both with the same number of sessions
in the answer (the largest count both databases have a day, a week or a client with),
the two timed in alternation; the ratio large/small should stay within 1.2: queries read
indexed views, never the log.

    python -m bench.query_path [--small 10000] [--large 1000000] [--repeat 200]
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from bench.common import Server, alternating, report, small_against_large, sqlite_with_events
from bench.latency import ask
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Actor, Role
from service.http.app import create_app


def shapes(database_url: str) -> dict[str, dict[int, str]]:
    """For each question, a URL of it by the number of sessions it answers with (one of each
    count), read from the views of this database (built first, outside any timing)."""
    app = create_app(Settings(database_url=database_url))
    reads = app.extensions["regimen.reads"].fresh()
    days = reads.recorder.query(
        "SELECT therapist_id, substr(local_start, 1, 10) AS day, COUNT(*) AS n FROM rv_sessions"
        " GROUP BY therapist_id, substr(local_start, 1, 10)"
    )
    clients = reads.recorder.query(
        "SELECT client_id, COUNT(*) AS n FROM rv_sessions GROUP BY client_id"
    )
    app.extensions["regimen"].close()
    weeks: dict[tuple[str, date], int] = {}
    sheet, calendar, schedule = {}, {}, {}
    for row in days:
        day = date.fromisoformat(row["day"])
        sheet[row["n"]] = f"/api/v1/therapists/{row['therapist_id']}/day-sheet?date={day}"
        monday = day - timedelta(days=day.weekday())
        key = (row["therapist_id"], monday)
        weeks[key] = weeks.get(key, 0) + row["n"]
    for (therapist, monday), n in weeks.items():
        calendar[n] = (
            f"/api/v1/calendar?from={monday}&to={monday + timedelta(days=6)}"
            f"&therapist_id={therapist}"
        )
    for row in clients:
        schedule[row["n"]] = f"/api/v1/clients/{row['client_id']}/sessions"
    return {"day sheet": sheet, "calendar (week, therapist)": calendar, "client schedule": schedule}


def token_for(database_url: str) -> dict[str, str]:
    """A front-desk token's header."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        token = regimen.add_user(
            f"bench-{uuid4().hex[:8]}", Role.FRONT_DESK, Actor("bench", Role.ADMIN)
        )[1]
    finally:
        regimen.close()
    return {"Authorization": f"Bearer {token}"}


def side_by_side(small: str, large: str, repeat: int) -> list[tuple[str, float, float]]:
    """Median seconds per question on each database, over HTTP to a server on each, the
    two timed in alternation; each question asked of both with the same number of rows."""
    found_s, found_l = shapes(small), shapes(large)
    head_s, head_l = token_for(small), token_for(large)
    rows = []
    with Server(small) as server_s, Server(large) as server_l:
        for name, by_count in found_s.items():
            count = max(set(by_count) & set(found_l[name]))
            url_s, url_l = by_count[count], found_l[name][count]
            small_s, large_s = alternating(
                [
                    lambda: ask(server_s, "GET", url_s, None, head_s),  # noqa: B023
                    lambda: ask(server_l, "GET", url_l, None, head_l),  # noqa: B023
                ],
                repeat,
            )
            rows.append((f"{name}, {count} rows", small_s, large_s))
    return rows


def main() -> None:
    parser = small_against_large(__doc__.splitlines()[0], 10_000, 1_000_000, repeat=200)
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
