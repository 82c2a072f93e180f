"""The seal table in each backend: SQLite, PostgreSQL, and in memory for tests and demos."""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from threading import RLock
from typing import Any
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

from service.audit.chain import Cursor, Row, StoredRow
from service.audit.seals import GENESIS, Hasher, Seal, content_digest
from service.audit.sql_chain import SqlChain


class SQLiteChain(SqlChain):
    """Seals in `<events table>_chain` of the SQLite file; positions are rowids."""

    def create_statements(self) -> list[str]:
        """The seal and key tables."""
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table} (position INTEGER PRIMARY KEY, "
            "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, "
            "event_hash BLOB NOT NULL, log_hash BLOB NOT NULL)",
            f"CREATE UNIQUE INDEX IF NOT EXISTS {self.table}_aggregate "
            f"ON {self.table} (originator_id, originator_version)",
            f"CREATE TABLE IF NOT EXISTS {self.meta} (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]


# PostgreSQL digests the stored state itself and returns a whole page as one bytea
# of fixed-width records, which the standard library unpacks at C speed: the
# driver converts one value per page instead of five per event.
_PG_STORED = (
    "SELECT string_agg(int8send(notification_id) || uuid_send(originator_id) "
    "|| int8send(originator_version) || sha256(int4send(octet_length(convert_to(topic, "
    "'UTF8'))) || convert_to(topic, 'UTF8') || state), ''::bytea ORDER BY notification_id) "
    "FROM {events} WHERE notification_id > %s AND notification_id <= %s"
)
_PG_SEALED = (
    "SELECT string_agg(int8send(position) || uuid_send(originator_id) "
    "|| int8send(originator_version) || event_hash || log_hash, ''::bytea ORDER BY position) "
    "FROM {table} WHERE position > %s AND position <= %s"
)
_STORED_RECORD = struct.Struct(">q16sq32s")
_SEALED_RECORD = struct.Struct(">q16sq32s32s")


class PostgresChain(SqlChain):
    """Seals in `<app>_events_chain` of the schema; positions are notification ids."""

    position_column = "notification_id"

    def __init__(self, datastore: Any, events_table: str, hasher: Hasher) -> None:
        self.schema = datastore.schema
        self.names = (f"{events_table}_chain", f"{events_table}_chain_meta")
        super().__init__(datastore, events_table, hasher)

    def quote(self, name: str) -> str:
        """Schema-qualified, quoted."""
        return f'"{self.schema}"."{name}"'

    def sql(self, statement: str) -> str:
        """psycopg placeholders."""
        return statement.replace("?", "%s")

    def id_param(self, originator_id: UUID) -> Any:
        """A uuid column."""
        return originator_id

    def insert_seals(self, cursor: Cursor, seals: Sequence[tuple[Any, ...]]) -> None:
        """Write seal rows in one statement of arrays, the same text whatever their number,
        sent in binary (as text, arrays of hashes cost more to send than to insert)."""
        cursor.execute(
            f"INSERT INTO {self.table} SELECT * FROM unnest("
            "%b::bigint[], %b::uuid[], %b::bigint[], %b::bytea[], %b::bytea[])",
            [list(column) for column in zip(*seals, strict=True)],
        )

    def lock(self, cursor: Cursor) -> None:
        """Block writers of events, as the library does when it inserts."""
        cursor.execute(f"LOCK TABLE {self.events} IN EXCLUSIVE MODE")

    def create_statements(self) -> list[Composed]:
        """The seal and key tables."""
        chain, meta = (Identifier(name) for name in self.names)
        schema = Identifier(self.schema)
        return [
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{chain} (position bigint PRIMARY KEY, "
                "originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
                "event_hash bytea NOT NULL, log_hash bytea NOT NULL)"
            ).format(schema=schema, chain=chain),
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS {index} "
                "ON {schema}.{chain} (originator_id, originator_version)"
            ).format(index=Identifier(f"{self.names[0]}_aggregate"), schema=schema, chain=chain),
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{meta} "
                "(name text PRIMARY KEY, value text NOT NULL)"
            ).format(schema=schema, meta=meta),
        ]

    def _records(
        self, statement: str, record: struct.Struct, after: int, upto: int
    ) -> Sequence[Row]:
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row, binary=True) as cursor,
        ):
            cursor.execute(statement, (after, upto))
            found = cursor.fetchone()
        page = found[0] if found else None
        return list(record.iter_unpack(page)) if page else []

    def stored_page(self, after: int, upto: int) -> Sequence[Row]:
        """Stored events with after < position <= upto, digested by PostgreSQL."""
        return self._records(_PG_STORED.format(events=self.events), _STORED_RECORD, after, upto)

    def seal_page(self, after: int, upto: int) -> Sequence[Row]:
        """Seals with after < position <= upto, in position order."""
        return self._records(_PG_SEALED.format(table=self.table), _SEALED_RECORD, after, upto)


class MemoryChain:
    """Seals kept beside the in-memory recorder's events."""

    def __init__(
        self, hasher: Hasher, lock: RLock, stored: Callable[[], Sequence[StoredRow]]
    ) -> None:
        self.hasher = hasher
        self._lock = lock
        self._stored = stored
        self._seals: dict[int, Seal] = {}
        self._by_version: dict[tuple[UUID, int], int] = {}
        self._sealed_with: str | None = None

    def sealed_with(self) -> str | None:
        """The key fingerprint the store was sealed with, or None before the first seal."""
        return self._sealed_with

    def head(self) -> Seal | None:
        """The last seal of the log."""
        with self._lock:
            return self._seals[next(reversed(self._seals))] if self._seals else None

    def seal_of(self, originator_id: UUID, version: int) -> Seal | None:
        """The seal of one version of an aggregate."""
        with self._lock:
            position = self._by_version.get((originator_id, version))
            return None if position is None else self._seals[position]

    def seals_of(self, originator_id: UUID) -> Sequence[Seal]:
        """An aggregate's seals in version order."""
        with self._lock:
            found = [s for s in self._seals.values() if s.originator_id == originator_id]
            return sorted(found, key=lambda s: s.originator_version)

    def seal_before(self, position: int) -> Seal | None:
        """The last seal before a position."""
        with self._lock:
            before = [p for p in self._seals if p < position]
            return self._seals[max(before)] if before else None

    def positions_of(self, originator_id: UUID) -> dict[int, int]:
        """Where each stored version of an aggregate sits in the log: version -> position."""
        return {
            r.originator_version: r.position
            for r in self._stored()
            if r.originator_id == originator_id
        }

    def stored_page(self, after: int, upto: int) -> Sequence[Row]:
        """Stored events with after < position <= upto, in position order."""
        rows = [r for r in self._stored() if after < r.position <= upto]
        return [
            (r.position, r.originator_id, r.originator_version, content_digest(r.topic, r.state))
            for r in rows
        ]

    def seal_page(self, after: int, upto: int) -> Sequence[Row]:
        """Seals with after < position <= upto, in position order."""
        with self._lock:
            wanted = sorted(p for p in self._seals if after < p <= upto)
            return [
                (s.position, s.originator_id, s.originator_version, s.event_hash, s.log_hash)
                for s in (self._seals[p] for p in wanted)
            ]

    def seal_rows(self, rows: Sequence[StoredRow]) -> None:
        """Seal newly stored events (the caller holds the recorder's lock)."""
        if self._sealed_with is None:
            self._sealed_with = self.hasher.fingerprint
        self.hasher.check(self._sealed_with)
        head = self.head()
        log_hash = head.log_hash if head else GENESIS
        for row in rows:
            previous = self.seal_of(row.originator_id, row.originator_version - 1)
            event_hash = self.hasher.event_hash(
                previous.event_hash if previous else GENESIS,
                row.originator_id,
                row.originator_version,
                content_digest(row.topic, row.state),
            )
            log_hash = self.hasher.log_hash(log_hash, row.position, event_hash)
            self._seals[row.position] = Seal(
                row.position, row.originator_id, row.originator_version, event_hash, log_hash
            )
            self._by_version[(row.originator_id, row.originator_version)] = row.position

    def reseal_from(self, position: int) -> int:
        """Drop the seals from a position on and seal every stored event from there."""
        with self._lock:
            for dropped in [p for p in self._seals if p >= position]:
                seal = self._seals.pop(dropped)
                self._by_version.pop((seal.originator_id, seal.originator_version), None)
            rows = [row for row in self._stored() if row.position >= position]
            self.seal_rows(rows)
            return len(rows)
