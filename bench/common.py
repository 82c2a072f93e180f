"""What the benchmarks share: cached databases, timing, and printing figures side by side."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(os.environ.get("REGIMEN_BENCH_DIR", "var/bench"))


def small_against_large(
    description: str, small: int, large: int, repeat: int
) -> argparse.ArgumentParser:
    """The options of a benchmark that times a small database against a large one: the two
    sizes, and how many times each request is repeated."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--small", type=int, default=small)
    parser.add_argument("--large", type=int, default=large)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser


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
    return current(url)


def current(database_url: str) -> str:
    """The database at this release's schema (`regimen db upgrade`): a kept history or
    directory may have been made by an older one, which `regimen serve` would refuse."""
    from service.cli.db import upgrade_database
    from service.config import Settings

    upgrade_database(Settings(database_url=database_url))
    return database_url


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median seconds of `repeat` runs, after one warm-up."""
    action()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def alternating(calls: list[Callable[[], object]], repeat: int, warm: int = 5) -> list[float]:
    """The median seconds of each call, the calls timed in turn (so that a busy moment of
    the machine falls on all of them alike) `repeat` times after `warm` untimed rounds."""
    runs: list[list[float]] = [[] for _ in calls]
    for n in range(warm + repeat):
        for runs_of, call in zip(runs, calls, strict=True):
            started = time.perf_counter()
            call()
            if n >= warm:
                runs_of.append(time.perf_counter() - started)
    return [statistics.median(r) for r in runs]


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


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`regimen serve` in a subprocess on a free port, stopped on exit."""

    def __init__(
        self, database_url: str, workers: int = 1, command: list[str] | None = None
    ) -> None:
        """`command` (its port appended) serves another app instead, such as bench.bare_http."""
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "REGIMEN_DATABASE_URL": database_url, "REGIMEN_PUBLIC_URL": self.url}
        serve = [sys.executable, "-m", "service", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, str(self.port)] if command else [*serve, "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self) -> Server:
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:  # not listening yet, or too busy booting to answer
                time.sleep(0.1)
        self.__exit__()  # not left running behind a bench that stops here
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def postgres_url() -> str | None:
    """A fresh schema on the PostgreSQL of REGIMEN_BENCH_POSTGRES_URL (or the test one)."""
    import uuid

    import psycopg

    base = os.environ.get("REGIMEN_BENCH_POSTGRES_URL") or os.environ.get(
        "REGIMEN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError:
        return None
    return f"{base}?schema={schema}"


def analyzed(url: str) -> str:
    """The database vacuumed and with fresh planner statistics, as a production server's
    autovacuum keeps it (a PostgreSQL tuned for tests may run without it, as CI's does: its
    planner then guesses every table at a few hundred rows, and an index-only scan still
    visits every row). Only the bench's own schema; a SQLite URL is left as it is. Returns
    the URL."""
    import psycopg

    base, _, schema = url.partition("?schema=")
    if not url.startswith("postgresql") or not schema:
        return url
    with psycopg.connect(base, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)
        ).fetchall()
        for (table,) in tables:
            conn.execute(f'VACUUM ANALYZE "{schema}"."{table}"')
    return url


def drop_postgres_schema(url: str) -> None:
    """Remove a schema made by postgres_url()."""
    import psycopg

    base, _, schema = url.partition("?schema=")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
