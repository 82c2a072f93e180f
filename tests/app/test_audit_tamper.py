"""Tamper evidence: editing, deleting or reordering stored rows is found, with the position."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from service.application import Regimen
from service.application.commands import Slot
from service.audit.chain import ChainBroken
from service.audit.recorders import chain_of
from service.audit.report import Report
from service.audit.seals import Hasher
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.errors import RuleViolated
from tests.api.helpers import book, perform_and_evaluate
from tests.app.tamper import SQLiteTamperer, Tamperer, tamperer_for
from tests.audit_story import BOOKED_FROM
from tests.builders import DESK, ZONE, agreed_plan, small_clinic


@pytest.fixture
def store(shared_database_url: str) -> Iterator[Regimen]:
    """The application over that database."""
    regimen = build_regimen(Settings(database_url=shared_database_url))
    yield regimen
    regimen.close()


def treated_plan(regimen: Regimen) -> UUID:
    """A small clinic and a plan of eight events: two sessions booked and treated."""
    plan_id = agreed_plan(regimen, small_clinic(regimen))
    for day in ("2026-03-09", "2026-03-16"):
        book(regimen, plan_id, f"{day}T10:00", BOOKED_FROM)
    for number in (1, 2):
        perform_and_evaluate(regimen, plan_id, number)
    return plan_id


@pytest.fixture
def plan_id(store: Regimen) -> UUID:
    """The treated plan in the store."""
    return treated_plan(store)


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Regimen]:
    """The application over a SQLite file holding the treated plan."""
    regimen = build_regimen(Settings(database_url=sqlite_url))
    treated_plan(regimen)
    yield regimen
    regimen.close()


@pytest.fixture
def tamper(shared_database_url: str, plan_id: UUID) -> Tamperer:
    """Direct access to the events table."""
    return tamperer_for(shared_database_url)


def found(report: Report) -> list[tuple[int, str]]:
    """The problems as (position, kind), first position first."""
    return [(p.position, p.kind) for p in report.problems]


def test_an_untouched_store_verifies_ok(store: Regimen, tamper: Tamperer) -> None:
    report = store.verify_log()

    assert report.ok, report.problems
    assert report.events_checked == report.seals_checked == tamper.count()
    assert report.head is not None and report.head.position == store.recorder.max_notification_id()


def test_an_untouched_plan_verifies_ok(store: Regimen, plan_id: UUID) -> None:
    report = store.verify_history(plan_id)

    assert report.ok, report.problems
    assert report.events_checked == report.seals_checked == 8


@pytest.mark.parametrize(
    ("version", "tampering", "kind"),
    [
        pytest.param(5, "change_byte", "changed", id="a changed byte"),
        pytest.param(4, "delete", "missing", id="a deleted row"),
    ],
)
def test_a_changed_or_deleted_row_is_reported_at_its_position_and_version(
    store: Regimen, plan_id: UUID, tamper: Tamperer, version: int, tampering: str, kind: str
) -> None:
    position = tamper.position_of(plan_id, version)
    getattr(tamper, tampering)(position)

    assert found(store.verify_log()) == [(position, kind)]
    plan_report = store.verify_history(plan_id)
    assert found(plan_report) == [(position, kind)]
    assert plan_report.problems[0].version == version


def test_two_swapped_rows_are_reported_as_reordered_at_both_positions(
    store: Regimen, plan_id: UUID, tamper: Tamperer
) -> None:
    first, second = tamper.position_of(plan_id, 1), tamper.position_of(plan_id, 6)
    tamper.swap(first, second)

    assert found(store.verify_log()) == [(first, "reordered"), (second, "reordered")]
    assert found(store.verify_history(plan_id)) == [(first, "reordered"), (second, "reordered")]


def test_a_changed_byte_a_deleted_row_and_two_swapped_rows_are_each_reported(
    store: Regimen, plan_id: UUID, tamper: Tamperer
) -> None:
    changed, deleted = tamper.position_of(plan_id, 2), tamper.position_of(plan_id, 3)
    swapped = sorted((tamper.position_of(plan_id, 6), tamper.position_of(plan_id, 8)))
    tamper.change_byte(changed)
    tamper.delete(deleted)
    tamper.swap(*swapped)

    report = store.verify_log()

    assert found(report) == [
        (changed, "changed"),
        (deleted, "missing"),
        (swapped[0], "reordered"),
        (swapped[1], "reordered"),
    ]
    assert report.first_problem is not None and report.first_problem.position == changed
    assert report.events_checked == tamper.count()


def test_tampering_with_another_aggregate_leaves_the_plan_ok(
    store: Regimen, plan_id: UUID, tamper: Tamperer
) -> None:
    tamper.change_byte(1)  # the clinic's first event, not the plan's

    assert found(store.verify_log()) == [(1, "changed")]
    assert store.verify_history(plan_id).ok


def test_verifying_with_another_key_says_so_instead_of_listing_every_event(
    store: Regimen, plan_id: UUID
) -> None:
    store.chain.hasher = Hasher(b"another key")

    assert found(store.verify_log()) == [(0, "wrong-key")]


def test_an_altered_seal_is_reported_and_nothing_else(
    sqlite_url: str, sqlite_store: Regimen
) -> None:
    position = sqlite_store.recorder.max_notification_id() - 3  # one of the plan's events
    SQLiteTamperer(sqlite_url).alter_seal(position)

    assert found(sqlite_store.verify_log()) == [(position, "seal-altered")]


def test_a_write_after_the_last_rows_were_cut_off_fails_clearly(
    sqlite_url: str, sqlite_store: Regimen
) -> None:
    # SQLite gives the next row the rowid of a deleted last row: the seal chain refuses it.
    SQLiteTamperer(sqlite_url).delete(sqlite_store.recorder.max_notification_id())

    with pytest.raises(ChainBroken, match="stored events were removed"):
        agreed_plan(sqlite_store, small_clinic(sqlite_store))


def test_events_written_without_sealing_stay_unsealed_until_an_operator_seals_them(
    sqlite_url: str, sqlite_store: Regimen
) -> None:
    plain = Application(env=Settings(database_url=sqlite_url).eventsourcing_env())
    plain.save(Aggregate())
    position = plain.recorder.max_notification_id()
    plain.close()

    assert found(sqlite_store.verify_log()) == [(position, "unsealed")]
    assert sqlite_store.seal_unsealed() == 1
    assert sqlite_store.verify_log().ok


def test_sealing_is_refused_while_a_sealed_event_fails_verification(
    store: Regimen, plan_id: UUID, tamper: Tamperer
) -> None:
    tamper.change_byte(tamper.position_of(plan_id, 2))

    with pytest.raises(RuleViolated, match="fail verification"):
        store.seal_unsealed()


@pytest.fixture
def long_plan(sqlite_store: Regimen) -> UUID:
    """A plan of 51 events: a session moved back and forth, so a snapshot of version 50."""
    plan_id = agreed_plan(sqlite_store, small_clinic(sqlite_store))
    book(sqlite_store, plan_id, "2026-03-09T10:00", BOOKED_FROM)
    for hour in [11, 10] * 24:
        sqlite_store.reschedule_session(
            plan_id,
            1,
            Slot(local_start=datetime(2026, 3, 9, hour), zone=ZONE),
            actor=DESK,
            now=BOOKED_FROM,
        )
    assert [s.originator_version for s in sqlite_store.snapshots.get(plan_id)] == [50]
    return plan_id


def forge_snapshot(regimen: Regimen, sqlite_url: str, plan_id: UUID) -> None:
    """Overwrite the snapshot with a well-formed one of a plan that never was."""
    plan = regimen.plan(plan_id, version=50)
    plan.closing_note = "discharged, all well"
    forged = regimen.mapper.to_stored_event(type(next(regimen.snapshots.get(plan_id))).take(plan))
    with sqlite3.connect(urlsplit(sqlite_url).path) as db:
        db.execute(
            "UPDATE stored_snapshots SET state = ? WHERE originator_id = ?",
            (forged.state, plan_id.hex),
        )


def test_a_plan_with_an_untouched_snapshot_verifies_ok(
    sqlite_store: Regimen, long_plan: UUID
) -> None:
    assert sqlite_store.verify_history(long_plan).ok


def test_a_forged_snapshot_is_reported_though_every_event_is_intact(
    sqlite_url: str, sqlite_store: Regimen, long_plan: UUID
) -> None:
    forge_snapshot(sqlite_store, sqlite_url, long_plan)

    position = SQLiteTamperer(sqlite_url).position_of(long_plan, 50)
    assert found(sqlite_store.verify_history(long_plan)) == [(position, "snapshot-altered")]


def test_the_whole_store_check_finds_a_forged_snapshot_too(
    sqlite_url: str, sqlite_store: Regimen, long_plan: UUID
) -> None:
    assert sqlite_store.verify_log().ok
    forge_snapshot(sqlite_store, sqlite_url, long_plan)

    position = SQLiteTamperer(sqlite_url).position_of(long_plan, 50)
    assert found(sqlite_store.verify_log()) == [(position, "snapshot-altered")]


@pytest.mark.parametrize(
    ("column", "value", "wrong"),
    [
        ("originator_version", "three", "originator_version is the text 'three', not a whole"),
        ("originator_version", 2.5, "originator_version is the number 2.5, not a whole"),
        ("state", '{"a": 1}', """state is the text '{"a": 1}', not bytes"""),
        ("state", None, "state is NULL, not bytes"),
        ("topic", b"\xff", "topic is the bytes b'\\xff', not text"),
    ],
)
def test_a_cell_of_the_wrong_type_is_reported_as_malformed_where_it_was_sealed(
    sqlite_url: str, sqlite_store: Regimen, long_plan: UUID, column: str, value: object, wrong: str
) -> None:
    tamperer = SQLiteTamperer(sqlite_url)
    position = tamperer.position_of(long_plan, 3)
    tamperer.set_cell(position, column, value)

    for report in (sqlite_store.verify_log(), sqlite_store.verify_history(long_plan)):
        problems = [(p.position, p.kind, p.aggregate_id, p.version) for p in report.problems]
        assert problems == [(position, "malformed", long_plan, 3)]
        assert wrong in report.problems[0].detail


def test_a_stored_state_that_is_no_object_is_changed_and_the_snapshot_is_not_replayed(
    sqlite_url: str, sqlite_store: Regimen, long_plan: UUID
) -> None:
    tamperer = SQLiteTamperer(sqlite_url)
    position = tamperer.position_of(long_plan, 3)
    tamperer.set_cell(position, "state", b"[1, 2]")

    for report in (sqlite_store.verify_log(), sqlite_store.verify_history(long_plan)):
        assert [(p.position, p.kind, p.version) for p in report.problems] == [
            (position, "changed", 3)
        ]


def test_a_failure_while_sealing_stores_nothing(
    store: Regimen, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic = small_clinic(store)
    before = store.recorder.max_notification_id()

    def broken(*_: object) -> None:
        raise RuntimeError("the sealing failed")

    monkeypatch.setattr(chain_of(store.recorder), "write_seals", broken)
    with pytest.raises(RuntimeError, match="the sealing failed"):
        agreed_plan(store, clinic)
    monkeypatch.undo()

    assert store.recorder.max_notification_id() == before
    agreed_plan(store, clinic)  # the connection is fit for the next write
    assert found(store.verify_log()) == []
