"""Twenty `regimen db upgrade` runs at once on one PostgreSQL schema: one applies the step,
the others wait for the schema lock and then find nothing to do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from service.adapters.schema_versions import VERSION_TABLE
from service.bootstrap import build_regimen
from service.config import Settings
from service.projections.schema_steps import CURRENT, STEPS
from tests.builders import small_clinic
from tests.conftest import POSTGRES_URL

pytestmark = [pytest.mark.system, pytest.mark.postgres]
UPGRADES = 20


def test_twenty_concurrent_upgrades_apply_the_step_once(postgres_url: str, tmp_path: Path) -> None:
    regimen = build_regimen(Settings(database_url=postgres_url))
    small_clinic(regimen)
    regimen.close()
    schema = postgres_url.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'UPDATE "{schema}".{VERSION_TABLE} SET version = %s', (CURRENT - 1,))

    ready = tmp_path / "ready"
    ready.mkdir()
    child = [sys.executable, "-m", "tests.system.upgrade_child", postgres_url, str(ready)]
    runs = [
        subprocess.Popen([*child, str(UPGRADES)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(UPGRADES)
    ]
    outcomes = [(run.communicate(), run.returncode) for run in runs]

    assert [code for _, code in outcomes] == [0] * UPGRADES, [err for (_, err), _ in outcomes]
    reports = sorted(out.decode() for (out, _), _ in outcomes)
    applied = f"schema version {CURRENT - 1} -> {CURRENT}: applied {CURRENT}: {STEPS[-1].does}\n"
    nothing = f"schema version {CURRENT} is current: nothing to do\n"
    assert sorted(set(reports)) == sorted({applied, nothing})
    assert reports.count(applied) == 1
    assert reports.count(nothing) == UPGRADES - 1
    with psycopg.connect(POSTGRES_URL) as connection:
        rows = connection.execute(f'SELECT version FROM "{schema}".{VERSION_TABLE}').fetchall()
    assert rows == [(CURRENT,)]
