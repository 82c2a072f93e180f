"""Creating the tables never races: many processes starting together on a fresh schema."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import postgres_schema_url
from tests.system.conftest import start_server, stop_server

pytestmark = pytest.mark.system
BUILDERS = 6
STARTS = int(os.environ.get("REGIMEN_SERVE_STARTS", "5"))  # 20 for the full check (README)


def test_processes_building_the_app_together_on_a_fresh_schema_all_succeed(
    postgres_url: str, tmp_path: Path
) -> None:
    ready = tmp_path / "ready"
    ready.mkdir()
    child = [sys.executable, "-m", "tests.system.schema_child", postgres_url, str(ready)]
    builders = [
        subprocess.Popen([*child, str(BUILDERS)], stderr=subprocess.PIPE) for _ in range(BUILDERS)
    ]
    failures = [
        error.decode()
        for builder in builders
        for _, error in [builder.communicate()]
        if builder.returncode != 0
    ]
    assert failures == []


def test_serve_with_four_workers_comes_up_healthy_on_a_fresh_schema_every_time(
    tmp_path: Path,
) -> None:
    for start in range(STARTS):
        for database_url in postgres_schema_url():  # a fresh schema, dropped afterwards
            log = tmp_path / f"serve-{start}.log"
            server = start_server(database_url, log, workers=4)
            try:
                with ThreadPoolExecutor(8) as pool:  # busy enough for every worker to answer
                    answers = list(pool.map(requests.get, [server.url("/health")] * 40))
                assert {answer.status_code for answer in answers} == {200}
                assert server.process.poll() is None
            finally:
                stop_server(server)
            assert "Worker failed to boot" not in log.read_text()
            assert "Exception in worker process" not in log.read_text()
