"""Row writes folded together leave a view's rows exactly as written one by one."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from service.projections.rows import NewRow, RowChange, Write, coalesce

TABLES = (
    "CREATE TABLE plans (plan_id TEXT PRIMARY KEY, client_id TEXT NOT NULL)",
    "CREATE TABLE sessions (plan_id TEXT NOT NULL, number INTEGER NOT NULL,"
    " client_id TEXT NOT NULL, status TEXT NOT NULL, start TEXT NOT NULL, pain INTEGER,"
    " PRIMARY KEY (plan_id, number))",
)


def plan(plan_id: str, client_id: str) -> NewRow:
    return NewRow("plans", {"plan_id": plan_id}, {"client_id": client_id})


def booked(plan_id: str, number: int, start: str) -> NewRow:
    return NewRow(
        "sessions",
        {"plan_id": plan_id, "number": number},
        {"start": start},
        selected={"client_id": "client_id", "status": "'booked'"},
        source="FROM plans WHERE plan_id = %s",
        source_params=(plan_id,),
    )


def changed(plan_id: str, number: int, **values: Any) -> RowChange:
    return RowChange("sessions", {"plan_id": plan_id, "number": number}, values)


def rows_after(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[tuple[Any, ...]]:
    database = sqlite3.connect(":memory:")
    for table in TABLES:
        database.execute(table)
    for sql, params in statements:
        database.execute(sql.replace("%s", "?"), tuple(params))
    return database.execute("SELECT * FROM sessions ORDER BY plan_id, number").fetchall()


def one_by_one(writes: Sequence[Write]) -> list[tuple[str, Sequence[Any]]]:
    return [w if isinstance(w, tuple) else w.statement() for w in writes]


def test_a_session_booked_performed_and_rated_is_one_upsert_with_the_same_row() -> None:
    writes: list[Write] = [
        plan("p1", "cora"),
        booked("p1", 1, "09:00"),
        changed("p1", 1, status="performed"),
        changed("p1", 1, pain=3),
        booked("p1", 2, "10:00"),
    ]
    statements = coalesce(writes)
    assert len(statements) == 3
    assert rows_after(statements) == rows_after(one_by_one(writes))
    assert rows_after(statements)[0] == ("p1", 1, "cora", "performed", "09:00", 3)


def test_a_change_to_a_row_already_there_is_kept_when_its_insert_is_ignored() -> None:
    writes: list[Write] = [
        plan("p1", "cora"),
        booked("p1", 1, "09:00"),
        changed("p1", 1, pain=7),
        booked("p1", 1, "11:00"),  # taken: the row keeps 09:00, but the change applies
        changed("p1", 1, status="missed"),
    ]
    assert rows_after(coalesce(writes)) == rows_after(one_by_one(writes))
    assert rows_after(coalesce(writes)) == [("p1", 1, "cora", "missed", "09:00", 7)]


def test_no_row_is_made_for_a_session_whose_plan_is_unknown() -> None:
    writes: list[Write] = [booked("p9", 1, "09:00"), changed("p9", 1, status="performed")]
    assert rows_after(coalesce(writes)) == rows_after(one_by_one(writes)) == []


def test_changes_fold_only_into_a_write_to_the_same_row_just_before() -> None:
    barrier = ("UPDATE sessions SET pain = NULL WHERE plan_id = %s", ("p1",))
    writes: list[Write] = [
        plan("p1", "cora"),
        booked("p1", 1, "09:00"),
        booked("p1", 2, "10:00"),
        changed("p1", 1, pain=4),  # not folded: another row's write is between
        barrier,
        changed("p1", 2, pain=5),
        changed("p1", 2, status="performed"),  # folded into the change just before
    ]
    statements = coalesce(writes)
    assert len(statements) == len(writes) - 1
    assert rows_after(statements) == rows_after(one_by_one(writes))
    assert rows_after(statements) == [
        ("p1", 1, "cora", "booked", "09:00", None),
        ("p1", 2, "cora", "performed", "10:00", 5),
    ]
