"""deploy/: each unit runs a real `regimen` command, and the README points at every file."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli.commands import main

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))


def exec_start(unit: Path) -> list[str]:
    [line] = [x for x in unit.read_text().splitlines() if x.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_there_is_a_unit_for_each_long_running_process() -> None:
    commands = set()
    for unit in UNITS:
        words = exec_start(unit)[1:]
        options = [i for i, word in enumerate(words) if word.startswith("-")]
        commands.add(" ".join(words[: options[0] if options else None]))
    assert commands == {"serve", "scheduler", "projections run"}


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_each_unit_runs_a_regimen_command_with_options_it_knows(unit: Path) -> None:
    program, *arguments = exec_start(unit)
    assert program.endswith("/bin/regimen")
    answer = CliRunner().invoke(main, [*arguments, "--help"])
    assert answer.exit_code == 0, answer.output
    assert "EnvironmentFile=/etc/regimen/regimen.env" in unit.read_text()


def test_the_environment_file_names_only_settings_regimen_or_gunicorn_reads() -> None:
    names = re.findall(r"^#? ?([A-Z_]+)=", (DEPLOY / "regimen.env.example").read_text(), re.M)
    config = (ROOT / "service" / "config.py").read_text()
    for name in names:
        assert (
            name in ("FORWARDED_ALLOW_IPS", "PROMETHEUS_MULTIPROC_DIR")
            or f'"{name.removeprefix("REGIMEN_")}"' in config
        )


def test_the_readme_refers_to_every_deploy_file() -> None:
    readme = (ROOT / "README.md").read_text()
    for path in DEPLOY.iterdir():
        assert f"deploy/{path.name}" in readme, path.name
