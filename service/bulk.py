"""Recently used aggregates, kept between commands and brought up to date by one query.

A command loads the plan, the clinic, the therapist, the room and every calendar day
it touches. Replaying each from its first event on every command costs more than the
command's own save, so each process keeps the aggregates it used last, and a load
reads only the events stored after the kept version (one query for many aggregates).
Every load still reads the store, so what another process saved is never missed.

The kept aggregates are never handed out nor changed: a load gets a copy, and new
events are applied to a copy that then replaces the kept one. Copies are cheap because
aggregates hold only immutable values (frozen dataclasses, strings, dates, UUIDs, enums)
in lists, dicts and sets, so only those containers are copied; a test walks every
aggregate of the demo clinic to keep it so. The library's own aggregate cache is not
used: it loads one aggregate per query, deep-copies (about 100 times slower here), and
fast-forwards the kept aggregate in place, racing with a copy taken by another thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, LRUCache, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

A = TypeVar("A", bound=Aggregate)
KEPT = 5000  # aggregates kept per process: a clinic's working set of days, plans and staff


def copy_of(aggregate: A) -> A:
    """A copy whose containers are its own; the immutable values in them are shared."""
    clone = object.__new__(type(aggregate))
    clone.__dict__.update({name: _thawed(value) for name, value in vars(aggregate).items()})
    return clone


def _thawed(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        return [_thawed(item) for item in value]
    if kind is dict:
        return {key: _thawed(item) for key, item in value.items()}
    if kind is set:
        return set(value)
    return value


class RecentAggregates:
    """The aggregates this process used last, each at the version it last saw."""

    def __init__(self, app: Any, size: int = KEPT) -> None:
        self.app = app
        self.kept: LRUCache[UUID, Aggregate] = LRUCache(maxsize=size)

    def get(self, aggregate_id: UUID) -> Aggregate:
        """The aggregate now; AggregateNotFoundError if it has no events."""
        kept = self._kept(aggregate_id)
        if kept is None:
            aggregate = self._from_last_snapshot(aggregate_id)
            self.keep([aggregate])
            return aggregate
        stored = stored_events_after(self.app.recorder, {aggregate_id: kept.version})
        if stored is None:  # the in-memory store
            newer = list(self.app.events.get(aggregate_id, gt=kept.version))
        else:
            newer = [self.app.mapper.to_domain_event(e) for e in stored]
        return self._brought_up_to_date(kept, newer)

    def get_many(self, ids: Sequence[UUID]) -> dict[UUID, Aggregate]:
        """The aggregates of these ids that exist, read in one query (from their first
        event when not kept: meant for small aggregates such as calendar days)."""
        kept = {i: a for i in ids if (a := self._kept(i)) is not None}
        versions = {i: kept[i].version if i in kept else 0 for i in ids}
        stored = stored_events_after(self.app.recorder, versions)
        if stored is None:  # the in-memory store: one aggregate at a time
            return dict(self._each(ids))
        newer: dict[UUID, list[Any]] = {}
        for stored_event in stored:
            event = self.app.mapper.to_domain_event(stored_event)
            newer.setdefault(event.originator_id, []).append(event)
        found: dict[UUID, Aggregate] = {}
        for aggregate_id in ids:
            events = newer.get(aggregate_id, [])
            if aggregate_id in kept:
                found[aggregate_id] = self._brought_up_to_date(kept[aggregate_id], events)
            elif events and (aggregate := project_aggregate(None, events)) is not None:
                self.keep([aggregate])
                found[aggregate_id] = aggregate
        return found

    def keep(self, aggregates: Iterable[Any]) -> None:
        """Keep copies of these aggregates (just loaded, or just saved)."""
        for aggregate in aggregates:
            if isinstance(aggregate, Aggregate) and not aggregate.pending_events:
                self.kept.put(aggregate.id, copy_of(aggregate))

    def _from_last_snapshot(self, aggregate_id: UUID) -> Aggregate:
        """The aggregate from its last snapshot and the events after it, read together."""
        snapshots = self.app.snapshots
        stored = (
            stored_history(self.app.recorder, snapshots.recorder, aggregate_id)
            if snapshots is not None
            else None
        )
        if stored is None:
            found: Aggregate = self.app.repository.get(aggregate_id)
            return found
        aggregate = project_aggregate(None, [self.app.mapper.to_domain_event(e) for e in stored])
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    def _kept(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            return self.kept.get(aggregate_id)
        except KeyError:
            return None

    def _brought_up_to_date(self, kept: Aggregate, newer: list[Any]) -> Aggregate:
        if not newer:
            return copy_of(kept)
        aggregate = project_aggregate(copy_of(kept), newer)
        if aggregate is None:  # discarded by its last event
            raise AggregateNotFoundError(kept.id)
        self.keep([aggregate])
        return aggregate

    def _each(self, ids: Sequence[UUID]) -> Iterable[tuple[UUID, Aggregate]]:
        for aggregate_id in ids:
            try:
                yield aggregate_id, self.get(aggregate_id)
            except AggregateNotFoundError:
                continue


def stored_events_after(recorder: Any, versions: Mapping[UUID, int]) -> list[StoredEvent] | None:
    """The stored events of each aggregate after the version given, by aggregate then
    version; None if the recorder cannot be asked for many at once (the in-memory one)."""
    if not versions:
        return []
    if isinstance(recorder, SQLiteAggregateRecorder):
        rows = _sqlite_rows(recorder, versions)
    elif isinstance(recorder, PostgresAggregateRecorder):
        rows = _postgres_rows(recorder, versions)
    else:
        return None
    return _stored(rows)


def stored_history(
    recorder: Any, snapshot_recorder: Any, aggregate_id: UUID
) -> list[StoredEvent] | None:
    """An aggregate's last snapshot, if any, then its events after it, in one query (what
    the library's repository reads in two); None for the in-memory store."""
    if not isinstance(recorder, SQLiteAggregateRecorder | PostgresAggregateRecorder):
        return None
    events, snapshots = recorder.events_table_name, snapshot_recorder.events_table_name
    if isinstance(recorder, SQLiteAggregateRecorder):
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(_history_sql(events, snapshots, "?"), [aggregate_id.hex] * 3)
            return _stored(cursor.fetchall())
    schema = recorder.datastore.schema
    sql = _history_sql(f'"{schema}"."{events}"', f'"{schema}"."{snapshots}"', "%s")
    with recorder.datastore.get_connection() as connection:
        return _stored(connection.execute(sql, [aggregate_id] * 3).fetchall())


def _history_sql(events: str, snapshots: str, mark: str) -> str:
    columns = "originator_id, originator_version, topic, state"
    return (
        f"SELECT {columns}, 1 AS snapshot FROM (SELECT {columns} FROM {snapshots}"
        f" WHERE originator_id = {mark} ORDER BY originator_version DESC LIMIT 1) last"
        f" UNION ALL SELECT {columns}, 0 FROM {events} WHERE originator_id = {mark}"
        f" AND originator_version > COALESCE((SELECT MAX(originator_version)"
        f" FROM {snapshots} WHERE originator_id = {mark}), 0)"
        " ORDER BY snapshot DESC, originator_version"
    )


def _stored(rows: Iterable[Any]) -> list[StoredEvent]:
    return [
        StoredEvent(
            originator_id=UUID(row["originator_id"])
            if isinstance(row["originator_id"], str)
            else row["originator_id"],
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
        )
        for row in rows
    ]


def _sqlite_rows(recorder: SQLiteAggregateRecorder, versions: Mapping[UUID, int]) -> list[Any]:
    pairs = ",".join("(?, ?)" for _ in versions)
    sql = (
        f"WITH wanted(id, after) AS (VALUES {pairs})"
        f" SELECT e.* FROM wanted JOIN {recorder.events_table_name} e"
        " ON e.originator_id = wanted.id AND e.originator_version > wanted.after"
        " ORDER BY e.originator_id, e.originator_version"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, [x for i, v in versions.items() for x in (i.hex, v)])
        return list(cursor.fetchall())


def _postgres_rows(recorder: PostgresAggregateRecorder, versions: Mapping[UUID, int]) -> list[Any]:
    sql = SQL(
        "SELECT e.* FROM unnest(%s::uuid[], %s::int[]) AS wanted(id, after)"
        " JOIN {0}.{1} e ON e.originator_id = wanted.id AND e.originator_version > wanted.after"
        " ORDER BY e.originator_id, e.originator_version"
    ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
    # One statement reads a consistent snapshot by itself, so it needs no BEGIN and
    # ROLLBACK around it: one round trip where the library's reads take three.
    with recorder.datastore.get_connection() as connection:
        return connection.execute(sql, [list(versions), list(versions.values())]).fetchall()
