"""`regimen reminders dispatch --once`: one pass of the outbox from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from service.cli.commands import main


def test_one_dispatch_pass_reports_what_it_did(sqlite_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["reminders", "dispatch", "--once"],
        env={"REGIMEN_DATABASE_URL": sqlite_url, "REGIMEN_OUTBOX_DIR": str(tmp_path / "out")},
    )
    assert result.exit_code == 0, result.output
    assert "sent 0, retrying 0, failed 0, cancelled 0" in result.output
