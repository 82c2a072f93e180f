"""Recently used aggregates, kept between commands and brought up to date by one query.

A command loads the plan, the clinic, the therapist, the room and every calendar day
it touches; a reminder pass loads the plans and clients of fifty reminders. Replaying
each from its first event every time costs more than the command's own save, so each
process keeps the aggregates it used last, and a load reads, in one query for all of
them, only the events stored after the kept version (or, for one not kept, its last
snapshot and the events after that). Every load reads the store, so what another
process saved is never missed.

The kept aggregates are never changed: a load gets a copy, and new events are applied
to a copy that then replaces the kept one. Only a caller that reads and never changes
(a reminder's re-check) is handed the kept aggregates themselves. What a command has just
saved is kept as it is, not copied (the next load copies it anyway): no use case changes
an aggregate after saving it, and one that did (or whose later save failed) would find it
no longer kept, as its version is no longer the one it was kept at. Copies are cheap because
aggregates hold only immutable values (frozen dataclasses, strings, dates, UUIDs, enums)
in lists, dicts and sets, so only those containers are copied; a test walks every
aggregate of the demo clinic to keep it so. The library's own aggregate cache is not
used: it loads one aggregate per query, deep-copies (about 100 times slower here), and
fast-forwards the kept aggregate in place, racing with a copy taken by another thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, LRUCache
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder

A = TypeVar("A", bound=Aggregate)
KEPT = 5000  # aggregates kept per process: a clinic's working set of days, plans and staff


class Kept(NamedTuple):
    """A kept aggregate, and the version it was kept at."""

    aggregate: Aggregate
    version: int


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


def projected(aggregate: Aggregate | None, events: Iterable[Any]) -> Aggregate | None:
    """The aggregate with the events applied (the library's project_aggregate, less its
    per-event isinstance check of a runtime Protocol, which costs more than the event)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class RecentAggregates:
    """The aggregates this process used last, each at the version it last saw."""

    def __init__(self, app: Any, size: int = KEPT) -> None:
        self.app = app
        self.kept: LRUCache[UUID, Kept] = LRUCache(maxsize=size)

    def get(self, aggregate_id: UUID) -> Aggregate:
        """The aggregate now; AggregateNotFoundError if it has no events."""
        found = self.get_many([aggregate_id])
        if aggregate_id not in found:
            raise AggregateNotFoundError(aggregate_id)
        return found[aggregate_id]

    def get_many(self, ids: Iterable[UUID], *, shared: bool = False) -> dict[UUID, Aggregate]:
        """The aggregates of these ids that exist, now, read in one query.

        `shared`: the kept aggregates themselves rather than copies, for a caller that only
        reads them. A kept aggregate is replaced, never changed, so one handed out stays
        as it was read; a caller that changed it would change what every later load
        starts from.
        """
        kept = {i: self._kept(i) for i in dict.fromkeys(ids)}  # None: not kept
        versions = {i: a.version if a is not None else 0 for i, a in kept.items()}
        stored = stored_since(self.app, versions)
        if stored is None:  # the in-memory store: one aggregate at a time
            return dict(self._each(versions))
        newer: dict[UUID, list[Any]] = {}
        for stored_event in stored:
            event = self.app.mapper.to_domain_event(stored_event)
            newer.setdefault(event.originator_id, []).append(event)
        found: dict[UUID, Aggregate] = {}
        for aggregate_id, known in kept.items():
            events = newer.get(aggregate_id)
            if not events:
                if known is not None:
                    found[aggregate_id] = known if shared else copy_of(known)
                continue
            aggregate = projected(copy_of(known) if known is not None else None, events)
            if aggregate is not None:  # None: discarded by its last event
                self._keep(aggregate if shared else copy_of(aggregate))
                found[aggregate_id] = aggregate
        return found

    def keep(self, aggregates: Iterable[Any]) -> None:
        """Keep these aggregates, just saved, as they are (see the module's docstring)."""
        for aggregate in aggregates:
            if isinstance(aggregate, Aggregate) and not aggregate.pending_events:
                self._keep(aggregate)

    def _keep(self, aggregate: Aggregate) -> None:
        self.kept.put(aggregate.id, Kept(aggregate, aggregate.version))

    def forget(self, ids: Iterable[UUID]) -> None:
        """Drop the kept copies of these aggregates (an erased client's, read again)."""
        for aggregate_id in ids:
            try:
                self.kept.get(aggregate_id, evict=True)
            except KeyError:
                continue

    def _kept(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            kept = self.kept.get(aggregate_id)
        except KeyError:
            return None
        aggregate = kept.aggregate
        if aggregate.version != kept.version or aggregate.pending_events:
            self.forget([aggregate_id])  # changed after its save: read it again
            return None
        return aggregate

    def _each(self, versions: Mapping[UUID, int]) -> Iterable[tuple[UUID, Aggregate]]:
        for aggregate_id in versions:
            try:
                aggregate: Aggregate = self.app.repository.get(aggregate_id)
            except AggregateNotFoundError:
                continue
            yield aggregate_id, aggregate


def stored_since(app: Any, versions: Mapping[UUID, int]) -> list[StoredEvent] | None:
    """For each aggregate, the stored events after the version given; for one given
    version 0, its last snapshot (if any) first and the events after that. By aggregate,
    snapshot first, then version. None if the store cannot be asked for many at once
    (the in-memory one)."""
    recorder = app.recorder
    if not versions:
        return []
    if not isinstance(recorder, SQLiteAggregateRecorder | PostgresAggregateRecorder):
        return None
    kept = {i: v for i, v in versions.items() if v > 0}
    fresh = [i for i, v in versions.items() if v <= 0]
    snapshots = app.snapshots.recorder.events_table_name if app.snapshots else None
    if isinstance(recorder, SQLiteAggregateRecorder):
        sql = _since_sql(
            kept and f"(VALUES {','.join(['(?, ?)'] * len(kept))})",
            fresh and f"(VALUES {','.join(['(?)'] * len(fresh))})",
            recorder.events_table_name,
            snapshots,
        )
        params = [x for i, v in kept.items() for x in (i.hex, v)] + [i.hex for i in fresh]
        # One SELECT reads one snapshot by itself (SQLite holds a read transaction for the
        # statement's life), so it needs no BEGIN and ROLLBACK around it either.
        with (
            recorder.datastore.get_connection(commit=False) as reading,
            reading.cursor() as cursor,
        ):
            return _stored(cursor.execute(sql, params).fetchall())
    schema = recorder.datastore.schema
    sql = _since_sql(
        kept and "(SELECT * FROM unnest(%s::uuid[], %s::bigint[]))",
        fresh and "(SELECT * FROM unnest(%s::uuid[]))",
        f'"{schema}"."{recorder.events_table_name}"',
        f'"{schema}"."{snapshots}"' if snapshots else None,
    )
    arrays = ([list(kept), list(kept.values())] if kept else []) + ([fresh] if fresh else [])
    # One statement reads a consistent snapshot by itself, so it needs no BEGIN and
    # ROLLBACK around it: one round trip where the library's reads take three.
    with recorder.datastore.get_connection() as connection:
        return _stored(connection.execute(sql, arrays).fetchall())


def _since_sql(kept: Any, fresh: Any, events: str, snapshots: str | None) -> str:
    """The query of stored_since: `kept` lists (id, version) pairs, `fresh` ids (each,
    when given, a table expression of this dialect)."""
    columns = "e.originator_id, e.originator_version, e.topic, e.state"
    tables, parts = [], []
    if kept:
        tables.append(f"kept(id, after) AS {kept}")
        parts.append(
            f"SELECT {columns}, 0 AS snapshot FROM kept JOIN {events} e"
            " ON e.originator_id = kept.id AND e.originator_version > kept.after"
        )
    if fresh and snapshots is None:
        tables.append(f"fresh(id) AS {fresh}")
        parts.append(
            f"SELECT {columns}, 0 AS snapshot FROM fresh JOIN {events} e"
            " ON e.originator_id = fresh.id"
        )
    elif fresh:
        tables.append(f"fresh(id) AS {fresh}")
        tables.append(
            f"last AS (SELECT {columns.replace('e.', 's.')} FROM fresh JOIN {snapshots} s"
            " ON s.originator_id = fresh.id AND s.originator_version = (SELECT"
            f" MAX(originator_version) FROM {snapshots} WHERE originator_id = fresh.id))"
        )
        parts.append(f"SELECT {columns.replace('e.', 'last.')}, 1 AS snapshot FROM last")
        parts.append(
            f"SELECT {columns}, 0 AS snapshot FROM fresh JOIN {events} e"
            " ON e.originator_id = fresh.id AND e.originator_version > COALESCE((SELECT"
            " last.originator_version FROM last WHERE last.originator_id = fresh.id), 0)"
        )
    return (
        f"WITH {', '.join(tables)} {' UNION ALL '.join(parts)}"
        " ORDER BY originator_id, snapshot DESC, originator_version"
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
