"""The waitlist's entries and offer messages are found by client through an index (a client's
erasure and their own pages ask by client), on a new database and on one upgraded to it."""

from __future__ import annotations

from typing import Any

import pytest

from service.adapters.schema_versions import VERSION_TABLE
from service.adapters.view_recorders import view_recorder_for
from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from service.projections.locked import ViewDatabase
from service.projections.projector import Projector
from service.projections.schema_steps import upgrade

BY_CLIENT = {
    "rv_waitlist_entries": "rv_waitlist_entries_by_client",
    "waitlist_offer_messages": "waitlist_offer_messages_by_client",
}


def indexes(regimen: Any, table: str) -> set[str]:
    """The names of the table's indexes (in the database's own catalogue)."""
    recorder = view_recorder_for(regimen)
    if regimen.env.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite":
        rows = recorder.query("SELECT name FROM sqlite_master WHERE tbl_name = %s", [table])
        return {row["name"] for row in rows}
    rows = recorder.query(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s",
        [table],
    )
    return {row["indexname"] for row in rows}


def assert_indexed_by_client(regimen: Any) -> None:
    for table, index in BY_CLIENT.items():
        assert index in indexes(regimen, table), table


@pytest.fixture
def database_url(shared_database_url: str) -> str:
    """A new SQLite file or PostgreSQL schema: stores with a catalogue of indexes."""
    return shared_database_url


def test_a_new_database_indexes_the_waitlist_by_client(regimen: Regimen) -> None:
    assert_indexed_by_client(regimen)


def test_a_database_made_before_the_indexes_gets_them_from_db_upgrade(regimen: Regimen) -> None:
    with ViewDatabase.of(view_recorder_for(regimen)).locked() as transaction:
        for index in BY_CLIENT.values():
            transaction.run(f"DROP INDEX {index}", ())  # as step 5 left the database
        transaction.run(f"UPDATE {VERSION_TABLE} SET version = 5", ())
    assert [step.version for step in upgrade(regimen).applied] == [6]
    assert_indexed_by_client(regimen)


def test_a_rebuild_of_the_view_makes_the_indexes_again(regimen: Regimen) -> None:
    Projector(regimen).rebuild(["waitlist"])
    assert_indexed_by_client(regimen)


def test_a_clients_entries_and_messages_are_read_by_the_index(sqlite_url: str) -> None:
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        recorder = view_recorder_for(regimen)
        asked = {
            "rv_waitlist_entries": "SELECT entry_id FROM rv_waitlist_entries"
            " WHERE client_id = %s ORDER BY joined_at, entry_id",
            "waitlist_offer_messages": "DELETE FROM waitlist_offer_messages WHERE client_id = %s",
        }
        for table, sql in asked.items():
            plan = recorder.query(f"EXPLAIN QUERY PLAN {sql}", ["c"])
            assert any(BY_CLIENT[table] in row["detail"] for row in plan), (table, plan)
    finally:
        regimen.close()
