"""Latency: p50/p95/p99 of what the desk and the therapist wait for, with 1 and 8 clients.

A real `regimen serve --workers 2` on each backend, a clinic of 300 clients and a
therapist's busy weeks (20 booked series). Each client is a thread with its own
connections (a new one per request, http.client); every request is timed alone:

- day sheet: GET /api/v1/therapists/{id}/day-sheet of a busy day;
- calendar: GET /api/v1/calendar of that week for the therapist;
- client search: GET /api/v1/clients?q= a fragment of one client's name;
- the desk's poll: the calendar page's grid asked every 5 s (htmx, each client signed in
  with its own browser session), which answers 204 while nothing changed (as measured:
  nothing is booked while the poll is timed);
- series booking: POST /api/v1/plans/{id}/series of 10 weekly sessions, each series on
  days of its own.

Targets (PostgreSQL, 8 clients): p99 under 50 ms for the reads and the poll, under
100 ms for a series.

    python -m bench.latency [--requests 30] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import requests

from bench.bare_http import SERIES, ZONE
from bench.command_path import first_start
from bench.common import Server, analyzed, drop_postgres_schema, machine, postgres_url
from service.application.commands import ClientDetails
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role
from tests.builders import ADMIN, DESK, agreed_plan, small_clinic

CLIENTS = (1, 8)
BOOKED = 20  # series booked before the measurement: the therapist's busy weeks
Request = Callable[[int], tuple[str, str, str | None, dict[str, str]]]


def prepare(database_url: str, plans: int) -> dict[str, Any]:
    """The clinic, its clients, the plans to book, and a front-desk token."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        clinic = small_clinic(regimen)
        for n in range(300):
            regimen.register_client(
                ClientDetails(
                    name=f"Client {n:03d} Example",
                    email=f"c{n}@example.org",
                    zone=ZONE,
                ),
                actor=DESK,
            )
        regimen.register_client(
            ClientDetails(name="Ottoline Quibble", zone=ZONE),
            actor=DESK,
        )
        listed = [agreed_plan(regimen, clinic, series=SERIES) for _ in range(BOOKED + plans)]
        token = regimen.add_user("bench-desk", Role.FRONT_DESK, ADMIN)[1]
    finally:
        regimen.close()
    return {"therapist": clinic.therapist_id, "plans": listed, "token": token}


def sign_in(server: Server, token: str) -> tuple[str, str]:
    """A signed-in browser session's cookie, and the calendar grid's poll URL."""
    browser = requests.Session()
    form = browser.get(server.url + "/").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    data = {"token": token, **({"csrf_token": csrf.group(1)} if csrf else {})}
    calendar = browser.post(server.url + "/sign-in", data=data).text
    poll = re.search(r'hx-get="([^"]+)"', calendar)
    assert poll, "the calendar page has no polling grid"
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    return cookie, poll.group(1).replace("&amp;", "&")


def ask(server: Server, method: str, path: str, body: str | None, headers: dict[str, str]) -> float:
    """Seconds for one request on a new connection; stops the bench on an error answer."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    started = time.perf_counter()
    connection.request(method, path, body, headers)
    response = connection.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    assert response.status < 300, (path, response.status, answer[:300])
    return elapsed


def run(server: Server, request: Request, clients: int, each: int) -> list[float]:
    """Every request's seconds, `clients` threads asking `each` requests in turn."""
    seconds: list[float] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        for n in range(each):
            elapsed = ask(server, *request(number * each + n))
            with lock:
                seconds.append(elapsed)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seconds


def requests_of(
    setup: dict[str, Any], cookies: list[str], poll: str, each: int = 1
) -> dict[str, Request]:
    """What each kind of request sends, by its number (client `n // each` of the run: each
    client polls with a browser session of its own, as each desk has)."""
    api = {"Authorization": f"Bearer {setup['token']}"}
    day = first_start(0).date() + timedelta(weeks=2)
    monday = day - timedelta(days=day.weekday())
    therapist = setup["therapist"]
    sheet = f"/api/v1/therapists/{therapist}/day-sheet?date={day}"
    week = (
        f"/api/v1/calendar?from={monday}&to={monday + timedelta(days=6)}&therapist_id={therapist}"
    )
    browser = [
        {"Cookie": cookie, "HX-Request": "true", "X-Regimen-Background": "poll"}
        for cookie in cookies
    ]
    series = {**api, "Content-Type": "application/json"}
    plans, offset = setup["plans"], setup["booked"]

    def book(n: int) -> tuple[str, str, str | None, dict[str, str]]:
        body = {"first_start": first_start(offset + n).strftime("%Y-%m-%dT%H:%M"), "timezone": ZONE}
        return "POST", f"/api/v1/plans/{plans[offset + n]}/series", json.dumps(body), series

    return {
        "day sheet": lambda n: ("GET", sheet, None, api),
        "calendar (week)": lambda n: ("GET", week, None, api),
        "client search": lambda n: ("GET", "/api/v1/clients?q=quibb", None, api),
        "desk's poll": lambda n: ("GET", poll, None, browser[n // each % len(browser)]),
        "series booking": book,
    }


def measure(database_url: str, each: int) -> list[tuple[str, int, list[float]]]:
    """Latencies of every kind of request at each number of clients."""
    setup = prepare(database_url, sum(c * each for c in CLIENTS))
    rows = []
    with Server(database_url, workers=2) as server:
        for n in range(BOOKED):  # the busy weeks, booked before anything is timed
            ask(server, *requests_of({**setup, "booked": 0}, [""], "")["series booking"](n))
        analyzed(database_url)
        booked = BOOKED
        for clients in CLIENTS:
            # Signed in now, the poll's `seen` is the log's end: it answers 204, as it does
            # between changes (the series booked last round would make it redraw the grid).
            signed = [sign_in(server, setup["token"]) for _ in range(clients)]
            cookies, poll = [cookie for cookie, _ in signed], signed[0][1]
            kinds = requests_of({**setup, "booked": booked}, cookies, poll, each)
            for name, request in kinds.items():
                if name != "series booking":  # both workers warm (a series uses up its plan)
                    run(server, request, clients, 3)
                rows.append((name, clients, run(server, request, clients, each)))
            booked += clients * each
    return rows


def percentile(seconds: list[float], p: int) -> float:
    """The p-th percentile in milliseconds."""
    return statistics.quantiles(seconds, n=100, method="inclusive")[p - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="per client and kind")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    print(f"\nLatency, regimen serve --workers 2  ({machine()})")
    print(f"{'database':<12}{'request':<17}{'clients':>8}{'p50':>9}{'p95':>9}{'p99':>9}  (ms)")
    for name in ("sqlite", "postgres"):
        if args.backend not in (name, "both"):
            continue
        url = postgres_url() if name == "postgres" else "sqlite"
        if url is None:
            print("PostgreSQL  not reachable: skipped")
            continue
        with tempfile.TemporaryDirectory() as folder:
            try:
                rows = measure(
                    url if name == "postgres" else f"sqlite:///{folder}/l.db", args.requests
                )
            finally:
                if name == "postgres":
                    drop_postgres_schema(url)
        for kind, clients, seconds in rows:
            figures = "".join(f"{percentile(seconds, p):>9.1f}" for p in (50, 95, 99))
            print(f"{name:<12}{kind:<17}{clients:>8}{figures}")


if __name__ == "__main__":
    main()
