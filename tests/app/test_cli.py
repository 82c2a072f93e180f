"""The regimen command line: users, demo, the scheduler's one-off pass."""

from __future__ import annotations

import re

from click.testing import CliRunner

from service.bootstrap import build_regimen
from service.cli.commands import main
from service.cli.demo import THERAPISTS
from service.cli.serving import local_address
from service.config import Settings
from service.domain.staff import Therapist

DEMO = THERAPISTS[0][0]


def run(sqlite_url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"REGIMEN_DATABASE_URL": sqlite_url})
    assert result.exit_code == 0, result.output
    return result.stdout  # what the command prints (its log lines go to stderr)


def test_a_user_token_is_printed_once_stored_hashed_and_revocable(sqlite_url: str) -> None:
    output = run(sqlite_url, "users", "add", "Ana Desk", "--role", "front_desk")
    token = re.search(r"token: (\S+)", output).group(1)  # type: ignore[union-attr]
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        assert regimen.authenticate(token).name == "Ana Desk"  # type: ignore[union-attr]
        rows = regimen.recorder.select_notifications(start=1, limit=100)
        assert all(token.encode() not in row.state for row in rows)
    finally:
        regimen.close()
    listing = run(sqlite_url, "users", "list")
    assert "Ana Desk" in listing and "front_desk" in listing and token not in listing
    run(sqlite_url, "users", "revoke", "Ana Desk")
    assert "revoked" in run(sqlite_url, "users", "list")
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        assert regimen.authenticate(token) is None
    finally:
        regimen.close()


def test_an_unknown_role_is_refused(sqlite_url: str) -> None:
    result = CliRunner().invoke(
        main, ["users", "add", "X", "--role", "owner"], env={"REGIMEN_DATABASE_URL": sqlite_url}
    )
    assert result.exit_code != 0
    assert "owner" in result.output


def test_the_demo_fills_an_empty_database_once(sqlite_url: str) -> None:
    assert "demo clinic added" in run(sqlite_url, "demo")
    assert "not added" in run(sqlite_url, "demo")


def test_the_scheduler_runs_each_job_once_on_request(sqlite_url: str) -> None:
    run(sqlite_url, "demo")
    output = run(sqlite_url, "scheduler", "--once")
    assert {line.split(":")[0] for line in output.splitlines()} == {
        "dispatch-notices",
        "dispatch-reminders",
        "extend-rolling-series",
        "flag-unrecorded-sessions",
        "offer-waitlist",
        "warn-expiring-authorizations",
    }


def test_a_therapist_user_is_linked_to_their_therapist_by_name(sqlite_url: str) -> None:
    run(sqlite_url, "demo")
    output = run(sqlite_url, "users", "add", "Amira", "--role", "therapist", "--therapist", DEMO)
    token = re.search(r"token: (\S+)", output).group(1)  # type: ignore[union-attr]

    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        linked = regimen.authenticate(token).therapist_id  # type: ignore[union-attr]
        assert regimen.load(Therapist, linked).name == DEMO  # type: ignore[arg-type]
    finally:
        regimen.close()
    assert f"therapist {linked}" in run(sqlite_url, "users", "list")


def test_an_existing_therapist_user_is_linked_later(sqlite_url: str) -> None:
    run(sqlite_url, "demo")
    output = run(sqlite_url, "users", "add", "Tom", "--role", "therapist")
    assert "without --therapist" in output

    assert "Tom is therapist" in run(
        sqlite_url, "users", "link", "Tom", "--therapist", "Tom Becker"
    )


def test_linking_to_an_unknown_therapist_is_refused_clearly(sqlite_url: str) -> None:
    result = CliRunner().invoke(
        main,
        ["users", "add", "X", "--role", "therapist", "--therapist", "Nobody"],
        env={"REGIMEN_DATABASE_URL": sqlite_url},
    )
    assert result.exit_code != 0
    assert "no therapists are named 'Nobody'" in result.output


def test_serve_refuses_to_start_without_a_public_url(sqlite_url: str) -> None:
    env = {"REGIMEN_DATABASE_URL": sqlite_url, "REGIMEN_PUBLIC_URL": ""}
    result = CliRunner().invoke(main, ["serve"], env=env)
    assert result.exit_code == 1
    assert "REGIMEN_PUBLIC_URL is not set" in result.output


def test_serve_refuses_a_public_url_that_is_not_an_absolute_address(sqlite_url: str) -> None:
    env = {"REGIMEN_DATABASE_URL": sqlite_url, "REGIMEN_PUBLIC_URL": "clinic.example.org"}
    result = CliRunner().invoke(main, ["serve"], env=env)
    assert result.exit_code == 1 and "must be an absolute http" in result.output


def test_dev_links_to_the_address_it_serves_on() -> None:
    assert local_address("127.0.0.1", 5000) == "http://127.0.0.1:5000"
    assert local_address("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert local_address("::1", 8000) == "http://[::1]:8000"


def test_a_command_that_sends_nothing_works_beside_a_malformed_smtp_url(sqlite_url: str) -> None:
    env = {"REGIMEN_DATABASE_URL": sqlite_url, "REGIMEN_SMTP_URL": "mail.example.com"}
    result = CliRunner().invoke(main, ["users", "add", "Ana Desk", "--role", "front_desk"], env=env)
    assert result.exit_code == 0, result.output
    assert "token:" in result.output
