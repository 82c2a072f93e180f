"""Client search: the desk's `GET /clients?q=` at 1,000 and at 100,000 clients.

Each directory is filled with real `ClientRegistered` events (names drawn from common
first names and surnames, so common fragments match many clients) and built by the
projector; one client has a rare name, email and phone. The same searches are asked of
both (the Flask app in-process, the two timed in alternation); large/small should stay
within 1.2: a search reads a trigram index (SQLite FTS5, PostgreSQL pg_trgm), never
every client.

    python -m bench.search [--small 1000] [--large 100000] [--repeat 100] [--no-postgres]
"""

from __future__ import annotations

import itertools
from typing import Any
from uuid import uuid4

import psycopg

from bench.common import (
    BENCH_DIR,
    alternating,
    analyzed,
    current,
    drop_postgres_schema,
    postgres_url,
    report,
    small_against_large,
)
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.client import Client
from service.domain.values import Actor, Role
from service.http.app import create_app

DESK = Actor(user_id="bench-desk", role=Role.FRONT_DESK)
FIRST = "Anna Ben Carla David Elena Farid Grace Hugo Ines Jonas Kira Liam Maya Noah Olga Paul"
LAST = "Smith Jones Taylor Brown Wilson Johnson Roberts Walker Wright Robinson Thompson Hughes"
SEARCHES = {
    "rare name (8 chars)": "quibbles",
    "rare email part": "oq@rare",
    "rare phone part": "+1555000123",
    "common surname (400+ hits)": "robinson",
    "two letters": "ro",
}


def londoner(name: str, email: str, phone: str) -> Client:
    """A client in London, registered by the desk (saved in bulk by the caller)."""
    return Client.register(
        name=name, email=email, phone=phone, zone="Europe/London", notes="", actor=DESK
    )


def fill(database_url: str, clients: int) -> None:
    """Register `clients` clients, the rare one among them, and build the views."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        names = itertools.cycle(itertools.product(FIRST.split(), LAST.split()))
        people = [
            londoner(f"{first} {last}", f"{first}.{last}{n}@example.org".lower(), f"+44770{n:07d}")
            for n, (first, last) in zip(range(clients - 1), names, strict=False)
        ]
        people.insert(
            clients // 2, londoner("Ottoline Quibblesworth", "oq@rare.example", "+15550001234")
        )
        for chunk in range(0, len(people), 1000):
            regimen.save(*people[chunk : chunk + 1000])
    finally:
        regimen.close()


def sqlite_with_clients(clients: int) -> str:
    """A SQLite database of `clients` clients, made once and kept in the bench folder."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"clients-{clients}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in BENCH_DIR.glob(partial.name + "*"):
            leftover.unlink()
        fill(f"sqlite:///{partial}", clients)
        partial.rename(path)
    return current(f"sqlite:///{path}")


def prepare(database_url: str) -> tuple[Any, dict[str, str]]:
    """An app on this database with its views built, and a front-desk token's header."""
    app = create_app(Settings(database_url=database_url))
    token = app.extensions["regimen"].add_user(
        f"bench-{uuid4().hex[:8]}", Role.FRONT_DESK, Actor("bench", Role.ADMIN)
    )[1]
    app.extensions["regimen.reads"].fresh()  # the views are built once, outside the timing
    return app, {"Authorization": f"Bearer {token}"}


def found(response: Any) -> None:
    """Stop the bench on an answer that is not 200 or finds nobody."""
    assert response.status_code == 200 and response.json, response.json


def side_by_side(small: str, large: str, repeat: int) -> list[tuple[str, float, float]]:
    """Median seconds of each search on each database, the two timed in alternation."""
    (app_s, head_s), (app_l, head_l) = prepare(small), prepare(large)
    client_s, client_l = app_s.test_client(), app_l.test_client()
    rows = []
    for what, query in SEARCHES.items():
        url = f"/api/v1/clients?q={query.replace('+', '%2B').replace('@', '%40')}"
        small_s, large_s = alternating(
            [
                lambda: found(client_s.get(url, headers=head_s)),  # noqa: B023
                lambda: found(client_l.get(url, headers=head_l)),  # noqa: B023
            ],
            repeat,
        )
        rows.append((what, small_s, large_s))
    for app in (app_s, app_l):
        app.extensions["regimen"].close()
    return rows


def main() -> None:
    parser = small_against_large(__doc__.splitlines()[0], 1_000, 100_000, repeat=100)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    title = f"Client search: {args.small} vs {args.large} clients"
    rows = side_by_side(
        sqlite_with_clients(args.small), sqlite_with_clients(args.large), args.repeat
    )
    report(f"{title}, SQLite", rows, f"{args.small}", f"{args.large}", "<= 1.2")
    if args.no_postgres:
        return
    urls = [postgres_with_clients(n) for n in (args.small, args.large)]
    if None in urls:
        print("\nPostgreSQL unreachable: its client search was not measured")
        return
    rows = side_by_side(urls[0], urls[1], args.repeat)  # type: ignore[arg-type]
    report(f"{title}, PostgreSQL", rows, f"{args.small}", f"{args.large}", "<= 1.2")


def postgres_with_clients(clients: int) -> str | None:
    """A PostgreSQL schema of `clients` clients, made once and kept (like the SQLite files):
    `bench_clients_<n>`; one holding another number of clients is made again."""
    fresh = postgres_url()
    if fresh is None:
        return None
    drop_postgres_schema(fresh)
    base = fresh.partition("?schema=")[0]
    schema = f"bench_clients_{clients}"
    with psycopg.connect(base, autocommit=True) as conn:
        try:
            found = conn.execute(
                f"SELECT COUNT(*) FROM \"{schema}\".rv_directory WHERE kind = 'client'"
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            found = None
        if found is not None and found[0] == clients:
            return analyzed(current(f"{base}?schema={schema}"))
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{base}?schema={schema}"
    fill(url, clients)
    prepare(url)[0].extensions["regimen"].close()  # the views built once
    return analyzed(url)


if __name__ == "__main__":
    main()
