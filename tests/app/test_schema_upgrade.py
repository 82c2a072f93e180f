"""The versioned schema: `regimen db upgrade` applies what is missing, once; the long-running
processes refuse a database older than they need, with one line naming the command."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

from click.testing import CliRunner, Result

from service.adapters.schema_versions import VERSION_TABLE, schema_version
from service.adapters.view_recorders import view_recorder_for
from service.application.commands import Slot
from service.bootstrap import build_regimen
from service.cli.commands import main
from service.config import Settings
from service.domain.payer import AuthorizationCount
from service.http.app import create_app
from service.projections.locked import ViewDatabase
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.schema_steps import CURRENT, STEPS, behind
from service.projections.session_view import SESSIONS
from tests.builders import ACME_TERMS, ADMIN, DESK, ZONE, agreed_plan, small_clinic
from tests.plans import units_only

UPGRADE_HINT = "run `regimen db upgrade` first"
UNITS = AuthorizationCount.UNITS
# The columns version 4 of the sessions view added.
UNITS_COLUMNS = (
    ("rv_sessions", "planned_units"),
    ("rv_sessions", "charged_units"),
    ("rv_plans", "auth_units"),
)


def cli(database_url: str, *args: str) -> Result:
    env = {"REGIMEN_DATABASE_URL": database_url, "REGIMEN_PUBLIC_URL": "http://localhost"}
    return CliRunner().invoke(main, list(args), env=env)


def record(database_url: str, sql: str, params: tuple[object, ...] = ()) -> None:
    """Write to the database below the application, as an older release left it."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        with ViewDatabase.of(view_recorder_for(regimen)).locked() as transaction:
            transaction.run(sql, params)
    finally:
        regimen.close()


def version_of(database_url: str) -> int:
    regimen = build_regimen(Settings(database_url=database_url), create_fresh=False)
    try:
        return schema_version(regimen)
    finally:
        regimen.close()


def one_version_behind(database_url: str) -> UUID:
    """A database with some history whose recorded schema is one step older than the code's;
    the id of one of its clients."""
    regimen = build_regimen(Settings(database_url=database_url))
    client_id = small_clinic(regimen).client_id
    regimen.close()
    record(database_url, f"UPDATE {VERSION_TABLE} SET version = %s", (CURRENT - 1,))
    return client_id


def test_the_steps_are_numbered_one_by_one_from_one() -> None:
    assert [step.version for step in STEPS] == list(range(1, len(STEPS) + 1))


def test_a_new_database_is_made_current_by_whatever_opens_it_first(
    shared_database_url: str,
) -> None:
    regimen = build_regimen(Settings(database_url=shared_database_url))
    try:
        assert schema_version(regimen) == CURRENT
        assert behind(regimen) is None
    finally:
        regimen.close()
    assert cli(shared_database_url, "db", "upgrade").output == (
        f"schema version {CURRENT} is current: nothing to do\n"
    )


def test_db_upgrade_on_an_empty_database_applies_every_step(sqlite_url: str) -> None:
    result = cli(sqlite_url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"schema version 0 -> {CURRENT}: applied 1: ")
    assert version_of(sqlite_url) == CURRENT


def test_serve_refuses_a_schema_one_version_behind_until_db_upgrade(
    shared_database_url: str,
) -> None:
    client_id = one_version_behind(shared_database_url)

    for command in (["serve"], ["scheduler", "--once"], ["projections", "run"]):
        refused = cli(shared_database_url, *command)
        assert refused.exit_code == 1, (command, refused.output)
        [line] = refused.output.splitlines()  # one line
        assert UPGRADE_HINT in line
        assert f"version {CURRENT - 1} and this release needs {CURRENT}" in line
    assert version_of(shared_database_url) == CURRENT - 1  # refusing changed nothing

    upgraded = cli(shared_database_url, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.output == (
        f"schema version {CURRENT - 1} -> {CURRENT}: applied {STEPS[-1].version}:"
        f" {STEPS[-1].does}\n"
    )
    assert version_of(shared_database_url) == CURRENT
    regimen = build_regimen(Settings(database_url=shared_database_url))
    try:
        assert behind(regimen) is None
        assert regimen.history(client_id)  # the history is untouched
    finally:
        regimen.close()
    again = cli(shared_database_url, "db", "upgrade")
    assert again.output == f"schema version {CURRENT} is current: nothing to do\n"


def test_a_database_from_before_schema_versions_reads_as_version_0(sqlite_url: str) -> None:
    regimen = build_regimen(Settings(database_url=sqlite_url))
    small_clinic(regimen)
    regimen.close()
    record(sqlite_url, f"DROP TABLE {VERSION_TABLE}")

    refused = cli(sqlite_url, "serve")
    assert refused.exit_code == 1
    assert f"the database schema is version 0 and this release needs {CURRENT}" in refused.output
    assert cli(sqlite_url, "db", "upgrade").output.startswith(f"schema version 0 -> {CURRENT}")
    assert version_of(sqlite_url) == CURRENT


def test_a_view_whose_layout_changed_is_never_rebuilt_by_a_web_worker(
    shared_database_url: str,
) -> None:
    settings = Settings(database_url=shared_database_url, public_url="http://localhost")
    regimen = build_regimen(settings)
    small_clinic(regimen)
    regimen.close()
    record(
        shared_database_url,
        "UPDATE rv_view_versions SET version = %s WHERE view = %s",
        (SESSIONS.version - 1, SESSIONS.name),
    )

    def stored_version() -> int:
        regimen = build_regimen(settings)
        try:
            rows = view_recorder_for(regimen).query(
                "SELECT version FROM rv_view_versions WHERE view = %s", (SESSIONS.name,)
            )
            return int(rows[0]["version"])
        finally:
            regimen.close()

    web = create_app(settings)  # what a worker does at its start
    web.extensions["regimen"].close()
    assert stored_version() == SESSIONS.version - 1  # the worker left the view alone

    refused = cli(shared_database_url, "serve")
    assert refused.exit_code == 1
    assert f"view {SESSIONS.name} is older than this release needs" in refused.output
    assert UPGRADE_HINT in refused.output

    upgraded = cli(shared_database_url, "db", "upgrade")
    assert f"view {SESSIONS.name} changed its layout: emptied" in upgraded.output
    assert stored_version() == SESSIONS.version
    rebuilt = cli(shared_database_url, "projections", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "rebuilt sessions" in rebuilt.output


def test_the_units_a_sessions_view_of_layout_3_lacked_are_filled_from_the_log(
    shared_database_url: str,
) -> None:
    regimen = build_regimen(Settings(database_url=shared_database_url))
    clinic = small_clinic(regimen)
    payer_id = regimen.register_payer(replace(ACME_TERMS, counts=UNITS), actor=ADMIN)
    plan_id = agreed_plan(regimen, clinic, authorization=units_only(8, payer_id))
    slot = Slot(local_start=datetime(2026, 3, 9, 10), zone=ZONE)  # an hour: 4 units
    regimen.book_session(plan_id, slot, actor=DESK, now=datetime(2026, 3, 1, tzinfo=UTC))
    regimen.close()
    # The view as layout 3 left it: no units authorized or charged.
    for table, column in UNITS_COLUMNS:
        record(shared_database_url, f"ALTER TABLE {table} DROP COLUMN {column}")
    record(
        shared_database_url,
        "UPDATE rv_view_versions SET version = 3 WHERE view = %s",
        (SESSIONS.name,),
    )

    assert "view sessions changed its layout" in cli(shared_database_url, "db", "upgrade").output
    assert cli(shared_database_url, "projections", "rebuild").exit_code == 0

    regimen = build_regimen(Settings(database_url=shared_database_url))
    try:
        reads = ReadModel(Projector(regimen))
        found = reads.plans_running_out(str(clinic.therapist_id), date(2026, 3, 1), 1, 4)
    finally:
        regimen.close()
    assert [(r["plan_id"], r["auth_units"], r["auth_units_used"]) for r in found] == [
        (str(plan_id), 8, 4)
    ]
