"""Loading many small aggregates in one query: the calendar days a series touches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier


def stored_events_of(recorder: Any, ids: Sequence[UUID]) -> list[StoredEvent] | None:
    """Every stored event of these aggregates, by aggregate then version; None if the
    recorder cannot be asked for many at once (the in-memory one)."""
    if not ids:
        return []
    sql: Any
    if isinstance(recorder, SQLiteAggregateRecorder):
        marks = ",".join("?" * len(ids))
        sql = (
            f"SELECT * FROM {recorder.events_table_name} WHERE originator_id IN ({marks})"
            " ORDER BY originator_id, originator_version"
        )
        params: list[Any] = [i.hex for i in ids]
    elif isinstance(recorder, PostgresAggregateRecorder):
        sql = SQL(
            "SELECT * FROM {0}.{1} WHERE originator_id = ANY(%s)"
            " ORDER BY originator_id, originator_version"
        ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
        params = [list(ids)]
    else:
        return None
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        StoredEvent(
            originator_id=recorder.convert_originator_id(row["originator_id"])
            if isinstance(row["originator_id"], str)
            else row["originator_id"],
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
        )
        for row in rows
    ]


def load_many(app: Any, ids: Sequence[UUID]) -> dict[UUID, Any]:
    """The aggregates of these ids that exist, replayed from their events (no snapshots:
    meant for small aggregates such as calendar days)."""
    stored = stored_events_of(app.recorder, ids)
    if stored is None:
        found = {}
        for aggregate_id in ids:
            try:
                found[aggregate_id] = app.repository.get(aggregate_id)
            except Exception:  # noqa: BLE001 - absent ones are simply not returned
                continue
        return found
    by_id: dict[UUID, list[Any]] = {}
    for event in stored:
        by_id.setdefault(UUID(str(event.originator_id)), []).append(
            app.mapper.to_domain_event(event)
        )
    return {aggregate_id: project_aggregate(None, events) for aggregate_id, events in by_id.items()}
