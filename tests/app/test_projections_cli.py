"""`regimen projections rebuild` over a log with an event no view can read."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

from click.testing import CliRunner

from service.bootstrap import build_regimen
from service.cli.commands import main
from service.config import Settings
from tests.stuck_views import register


def test_a_rebuild_stops_the_views_at_an_unreadable_event_and_says_so_in_one_line(
    sqlite_url: str,
) -> None:
    regimen = build_regimen(Settings(database_url=sqlite_url))
    for name in ("Ann Able", "Bob Baker", "Cy Cole"):
        register(regimen, name)
    regimen.close()
    # Someone with write access overwrote the second event with bytes that are not JSON.
    with sqlite3.connect(urlsplit(sqlite_url).path) as db:
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = 2", (b"{not json",))

    result = CliRunner().invoke(
        main, ["projections", "rebuild"], env={"REGIMEN_DATABASE_URL": sqlite_url}
    )

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    error = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(error) == 1
    assert "view sessions is stuck at position 2" in error[0]
    assert "view directory is stuck at position 2" in error[0]
