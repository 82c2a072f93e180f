"""Views that stopped at an event they cannot apply: the durable record, and reads refusing them.

A view that cannot apply an event stops just before it, alone: the other views go on.
The fault is written to a small table in its own transaction, so every process sees it
(its reads of that view answer "stuck", its readiness check names it) and a release
that can apply the event clears it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from service.adapters.view_recorders import ViewRecorder
from service.projections.locked import ViewDatabase
from service.projections.view import View

FAULTS_TABLE = (
    "CREATE TABLE IF NOT EXISTS rv_view_faults (view TEXT PRIMARY KEY,"
    " position INTEGER NOT NULL, event_type TEXT NOT NULL, aggregate_id TEXT NOT NULL,"
    " error TEXT NOT NULL, at TEXT NOT NULL)"
)
RECORD = (
    "INSERT INTO rv_view_faults VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (view) DO UPDATE"
    " SET position = excluded.position, event_type = excluded.event_type,"
    " aggregate_id = excluded.aggregate_id, error = excluded.error, at = excluded.at"
)
ERROR_TEXT = 2000  # enough to diagnose; a whole SQL statement with its rows is not needed


@dataclass(frozen=True)
class Fault:
    """Where a view stopped: the event it cannot apply, and why."""

    view: str
    position: int
    event_type: str
    aggregate_id: str
    error: str
    at: str

    @property
    def kind(self) -> str:
        """The error's type only: its message may quote what the event held (a client's
        name), so logs and public answers carry this; the whole text stays in the view's
        fault record, for `regimen projections rebuild` to show an operator."""
        return self.error.split(":", 1)[0]

    def describe(self, *, detail: bool = False) -> str:
        """One line for logs and problems (the error's type), or with the whole error text
        for the command line."""
        reason = " ".join(self.error.split()) if detail else self.kind
        return (
            f"view {self.view} is stuck at position {self.position}"
            f" ({self.event_type} of {self.aggregate_id}): {reason}"
        )


class ViewStuck(Exception):
    """A read needs a view that stopped at an event it cannot apply."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(fault.describe())
        self.fault = fault


def record_fault(database: ViewDatabase, fault: Fault) -> None:
    """Write (or replace) a view's fault, committed at once."""
    with database.locked() as transaction:
        transaction.run(
            RECORD,
            (
                fault.view,
                fault.position,
                fault.event_type,
                fault.aggregate_id,
                fault.error[:ERROR_TEXT],
                fault.at,
            ),
        )


def clear_faults(database: ViewDatabase, views: Sequence[str]) -> None:
    """Forget the faults of these views (they applied the event, or are being rebuilt)."""
    with database.locked() as transaction:
        for view in views:
            transaction.run("DELETE FROM rv_view_faults WHERE view = %s", (view,))


def faults_of(recorder: ViewRecorder) -> dict[str, Fault]:
    """Every recorded fault, by view name."""
    rows = recorder.query("SELECT * FROM rv_view_faults")
    return {row["view"]: Fault(**row) for row in rows}


def table_names(view: View) -> tuple[str, ...]:
    """The tables a view writes (named in its CREATE TABLE statements)."""
    return tuple(
        statement.split("IF NOT EXISTS ", 1)[1].split()[0]
        for statement in view.tables
        if statement.startswith("CREATE TABLE")
    )


class ReadyViews:
    """A view recorder for reads that refuses (ViewStuck) a query naming a stuck view's table.

    Every read of the views goes through `query`, so one check covers them all, and a
    query of views that are fine runs as usual while another view is stuck.
    """

    def __init__(
        self, recorder: ViewRecorder, views: Sequence[View], stuck: Mapping[str, Fault]
    ) -> None:
        self.recorder = recorder
        self.stuck = stuck  # the projector's own dict, updated by every catch-up
        self.patterns = {
            view.name: re.compile(r"\b(" + "|".join(table_names(view)) + r")\b") for view in views
        }

    @property
    def datastore(self) -> Any:
        """The views' database (for ViewDatabase.of)."""
        return getattr(self.recorder, "datastore")  # noqa: B009 - not on the Protocol

    def query(
        self, sql: str, params: Sequence[Any] = (), *, in_index_order: bool = False
    ) -> list[dict[str, Any]]:
        """Rows of a read-only query, unless it reads a stuck view."""
        self.refuse_stuck(sql)
        return self.recorder.query(sql, params, in_index_order=in_index_order)

    def query_within(
        self, sql: str, params: Sequence[Any], steps: int
    ) -> list[dict[str, Any]] | None:
        """SQLite: rows of a read-only query, or None past `steps` (SQLiteViewRecorder's),
        unless it reads a stuck view."""
        self.refuse_stuck(sql)
        return getattr(self.recorder, "query_within")(sql, params, steps)  # noqa: B009

    def refuse_stuck(self, sql: str) -> None:
        """Raise ViewStuck if the statement reads a stuck view's table."""
        for name, fault in list(self.stuck.items()):
            pattern = self.patterns.get(name)
            if pattern is not None and pattern.search(sql):
                raise ViewStuck(fault)
