"""A real `regimen serve` process (gunicorn) on a free port, and a headless Chromium, for
system tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from service.bootstrap import build_regimen
from service.cli.demo import seed_demo
from service.config import Settings
from service.domain.values import Role
from tests.builders import CLI
from tests.system import browsing
from tests.system.browsing import ARTIFACTS

START_TIMEOUT_S = 90  # a deadline, not a measurement: a loaded machine may take this long
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running server process and its base URL."""

    process: subprocess.Popen[bytes]
    base_url: str
    log: Path | None = None  # where its stdout and stderr go

    def stop(self) -> None:
        """Stop it gracefully and wait (its log is complete afterwards)."""
        stop_server(self)

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return self.base_url + path

    def crash(self) -> None:
        """SIGKILL the master and every worker at once, as a power cut would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def healthy(server: Server, deadline: float) -> bool:
    """Whether /health answers 200; a refused connection or a slow answer is "not yet".

    A busy machine may take seconds to answer the first request, so the read may last
    until the overall deadline rather than a fixed fraction of a second.
    """
    try:
        answer = requests.get(server.url("/health"), timeout=max(1.0, deadline - time.monotonic()))
    except requests.RequestException:
        return False
    return answer.status_code == 200


def start_server(
    database_url: str, log: Path, workers: int = 2, env: dict[str, str] | None = None
) -> Server:
    """Start `regimen serve` and wait until /health answers; `env` adds to its environment
    (a faked clock, say)."""
    port = free_port()
    env = {
        **os.environ,
        **(env or {}),
        "REGIMEN_DATABASE_URL": database_url,
        "REGIMEN_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    command = [sys.executable, "-m", "service", "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a crash can take every worker
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        if healthy(server, deadline):
            return server
        time.sleep(0.1)  # polling a readiness probe; the answer is the synchronisation
    process.kill()
    raise RuntimeError(f"server did not become healthy:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    """Stop the server and wait for it."""
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    """Start servers on demand; all are stopped after the test."""
    started: list[Server] = []

    def start(database_url: str, workers: int = 2, env: dict[str, str] | None = None) -> Server:
        log = tmp_path / f"server-{len(started)}.log"
        server = start_server(database_url, log, workers, env)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server)


@pytest.fixture(scope="session", autouse=True)
def fresh_screenshots() -> None:
    """One fresh folder of screenshots per run, emptied once at its start (every browser
    test saves its own under test-artifacts/browser/)."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)


def need_chromium() -> Any:
    """Playwright's sync API; skipped (locally) or failed (in CI) without Chromium."""
    missing = ""
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = missing or "the playwright package is not installed (pip install playwright)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    sync_playwright = need_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo_clinic(sqlite_url: str, serve: Callable[..., Any]) -> tuple[str, str]:
    """The `make run` demo clinic behind a real server; its URL and a front-desk token."""
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        seed_demo(regimen, CLI)
        _, token = regimen.add_user("browser-desk", Role.FRONT_DESK, CLI)
    finally:
        regimen.close()
    return serve(sqlite_url).base_url, token


@dataclass
class DemoWindows:
    """The demo clinic behind a real server, its database, and windows onto it open to axe;
    the windows opened are closed after the test."""

    browser: Any
    base_url: str
    desk_token: str
    database_url: str
    opened: list[Any] = field(default_factory=list)

    def window(self) -> Any:
        """A new desktop window's page, not signed in yet."""
        context, page = browsing.axe_window(self.browser, self.base_url)
        self.opened.append(context)
        return page

    def signed_in(self, token: str | None = None) -> Any:
        """A new desktop window's page, signed in by keyboard with the token (the front
        desk's if none is given)."""
        page = self.window()
        browsing.keyboard_sign_in(page, token or self.desk_token)
        return page


@pytest.fixture
def demo_windows(
    browser: Any, demo_clinic: tuple[str, str], sqlite_url: str
) -> Iterator[DemoWindows]:
    """Windows onto the demo clinic, for tests that add to its database first."""
    base_url, desk_token = demo_clinic
    windows = DemoWindows(browser, base_url, desk_token, sqlite_url)
    yield windows
    for context in windows.opened:
        context.close()
