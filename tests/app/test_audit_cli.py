"""The audit commands: replay, audit export, audit verify, audit seal, keys generate."""

from __future__ import annotations

import json
import re
from base64 import b64decode
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner, Result

from service.application import Regimen
from service.audit.records import plan_document
from service.bootstrap import build_regimen
from service.cli.commands import main
from service.config import Settings
from tests.app.tamper import SQLiteTamperer
from tests.audit_story import EVENT_TYPES, Story, treated_and_revised
from tests.builders import small_clinic


def run(sqlite_url: str, *args: str) -> Result:
    """Run `regimen ARGS` against the SQLite file."""
    return CliRunner().invoke(main, list(args), env={"REGIMEN_DATABASE_URL": sqlite_url})


@pytest.fixture
def regimen(sqlite_url: str) -> Iterator[Regimen]:
    """The application on the SQLite file the commands use."""
    app = build_regimen(Settings(database_url=sqlite_url))
    yield app
    app.close()


@pytest.fixture
def story(regimen: Regimen) -> Story:
    """The story, each state read as the plan then stood."""

    def read(plan_id: Any) -> Any:
        return json.loads(json.dumps(plan_document(regimen.plan(plan_id))))

    return treated_and_revised(regimen, small_clinic(regimen), read)


def test_the_export_has_one_line_per_event_in_order(sqlite_url: str, story: Story) -> None:
    result = run(sqlite_url, "audit", "export", str(story.plan_id))

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["type"] for line in lines] == EVENT_TYPES
    assert [line["version"] for line in lines] == list(range(1, len(EVENT_TYPES) + 1))
    tamperer = SQLiteTamperer(sqlite_url)
    assert [line["position"] for line in lines] == [
        tamperer.position_of(story.plan_id, v) for v in range(1, len(EVENT_TYPES) + 1)
    ]
    assert {line["aggregate_id"] for line in lines} == {str(story.plan_id)}
    assert lines[5]["actor"] == {"user_id": "test-desk", "role": "front_desk"}


def test_replay_prints_the_plan_at_a_version_or_an_instant(
    sqlite_url: str, regimen: Regimen, story: Story
) -> None:
    for version in (1, 6, story.last_version):
        result = run(sqlite_url, "replay", str(story.plan_id), "--version", str(version))
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == story.states[version]

    times = [e.timestamp for e in regimen.history(story.plan_id)]
    between = times[7] + (times[8] - times[7]) / 2  # after version 8, before version 9
    result = run(sqlite_url, "replay", str(story.plan_id), "--as-of", between.isoformat())
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == story.states[8]


@pytest.mark.parametrize(
    "args",
    [
        ["--version", "1", "--as-of", "2026-03-02T09:00:00+00:00"],
        ["--as-of", "2026-03-02T09:00"],
        ["--as-of", "soon"],
        ["--version", "0"],
    ],
)
def test_replay_refuses_unclear_requests(sqlite_url: str, story: Story, args: list[str]) -> None:
    result = run(sqlite_url, "replay", str(story.plan_id), *args)

    assert result.exit_code == 2, result.output


def test_replay_of_a_version_the_plan_never_had_says_so(sqlite_url: str, story: Story) -> None:
    result = run(sqlite_url, "replay", str(story.plan_id), "--version", "99")

    assert result.exit_code == 1
    assert "no version 99" in result.output and "Traceback" not in result.output


def test_verify_says_ok_and_prints_the_head_to_anchor(sqlite_url: str, story: Story) -> None:
    result = run(sqlite_url, "audit", "verify")

    assert result.exit_code == 0, result.output
    head = re.search(r"head: (\d+:[0-9a-f]{64})", result.output)
    assert head is not None
    assert run(sqlite_url, "audit", "verify", "--anchor", head.group(1)).exit_code == 0
    position = head.group(1).split(":")[0]
    wrong = run(sqlite_url, "audit", "verify", "--anchor", f"{position}:{'0' * 64}")
    assert wrong.exit_code == 1 and "anchor-mismatch" in wrong.output


def test_verify_reports_a_changed_row_with_its_position_and_fails(
    sqlite_url: str, story: Story
) -> None:
    tamperer = SQLiteTamperer(sqlite_url)
    position = tamperer.position_of(story.plan_id, 9)
    tamperer.change_byte(position)

    result = run(sqlite_url, "audit", "verify")

    assert result.exit_code == 1
    assert f"position {position}: changed" in result.output


def test_verify_reports_a_cell_of_the_wrong_type_with_its_place_not_a_traceback(
    sqlite_url: str, story: Story
) -> None:
    tamperer = SQLiteTamperer(sqlite_url)
    position = tamperer.position_of(story.plan_id, 4)
    tamperer.set_cell(position, "originator_version", "four")

    result = run(sqlite_url, "audit", "verify")

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"position {position}: malformed:" in result.output
    assert f"aggregate {story.plan_id} version 4" in result.output
    assert "originator_version is the text 'four', not a whole number" in result.output


def test_seal_says_when_there_is_nothing_to_seal(sqlite_url: str, story: Story) -> None:
    result = run(sqlite_url, "audit", "seal")

    assert result.exit_code == 0, result.output
    assert "already sealed" in result.output


def test_reads_from_the_command_line_are_logged_too(
    sqlite_url: str, regimen: Regimen, story: Story
) -> None:
    run(sqlite_url, "replay", str(story.plan_id), "--version", "2")
    run(sqlite_url, "audit", "export", str(story.plan_id))

    today = datetime.now(UTC).date()
    views = regimen.access_log(story.plan_id, today - timedelta(days=1), today)
    assert [(v.record, v.detail, v.via, v.actor.user_id) for v in views] == [
        ("plan", "version=2", "cli", "cli"),
        ("export", "", "cli", "cli"),
    ]


def test_keys_generate_prints_a_new_aes_256_key(sqlite_url: str) -> None:
    first = run(sqlite_url, "keys", "generate").output.strip()
    second = run(sqlite_url, "keys", "generate").output.strip()

    assert len(b64decode(first)) == 32
    assert first != second
