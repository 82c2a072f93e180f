"""Application recorders that seal every event in the same transaction that stores it.

Sealing inside the insert transaction leaves no moment in which a stored event
is unsealed, and nothing ever seals a row it did not write itself, so a row
slipped into the table by other means stays visibly unsealed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from service.audit.backends import MemoryChain, PostgresChain, SQLiteChain
from service.audit.chain import Chain, StoredRow, continued
from service.audit.seals import Hasher, content_digest

SEALING_RECORDERS = {
    "eventsourcing.sqlite": "service.audit.recorders:SealingSQLiteRecorder",
    "eventsourcing.postgres": "service.audit.recorders:SealingPostgresRecorder",
}


def stored_rows(ids: Sequence[int] | None, events: Sequence[StoredEvent]) -> list[StoredRow]:
    """Pair the positions the database gave with the events stored."""
    if ids is None or len(ids) != len(events):
        raise RuntimeError("the event store did not report the positions of stored events")
    return [
        StoredRow(
            position,
            e.originator_id if isinstance(e.originator_id, UUID) else UUID(e.originator_id),
            e.originator_version,
            e.topic,
            e.state,
        )
        for position, e in zip(ids, events, strict=True)
    ]


class SealingSQLiteRecorder(SQLiteApplicationRecorder):
    """SQLite events, sealed as they are inserted."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        self.chain = SQLiteChain(datastore, events_table_name, Hasher())
        super().__init__(datastore, events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        """The library's tables and the seal tables."""
        return [*super().construct_create_table_statements(), *self.chain.create_statements()]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Work out the events' hashes first, then insert and seal them in one write
        transaction, which then only chains them onto the log's head."""
        previous: dict[UUID, tuple[int, bytes]] = {}
        if continued(stored_events):  # only new aggregates: nothing to read
            with self.datastore.transaction(commit=False) as c:
                asked = self.chain.ask_previous(c, stored_events)
                previous = self.chain.previous_found(c) if asked else {}
        hashes = self.chain.event_hashes(stored_events, previous)
        with self.datastore.transaction(commit=True) as c:
            ids = super()._insert_events(c, stored_events, **kwargs)
            self.chain.seal_rows(c, stored_rows(ids, stored_events), hashes)
            return ids


class SealingPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL events, sealed as they are inserted (under the library's table lock)."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain = PostgresChain(datastore, events_table_name, Hasher())
        self.sql_create_statements.extend(self.chain.create_statements())
        # The library sends the events as one array of a composite type, which psycopg
        # dumps as text in Python (every state escaped byte by byte); four arrays of plain
        # types go in binary, dumped in C. Same rows, same order, same RETURNING.
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%s::{id_type}[], %s::bigint[], %s::text[], %s::bytea[]) "
            "RETURNING notification_id"
        ).format(
            schema=Identifier(datastore.schema),
            table=Identifier(events_table_name),
            id_type=SQL(datastore.originator_id_type),
        )

    def _insert_stored_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """The library's steps (the table lock, the notification), then the insert."""
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self.insert_events_statement,
            (
                [e.originator_id for e in stored_events],
                [e.originator_version for e in stored_events],
                [e.topic for e in stored_events],
                [e.state for e in stored_events],
            ),
            binary=True,
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Insert and seal in one transaction; any failure rolls both back.

        The library's version pipelines the statements and commits even when a step
        after the insert raises in Python, so it cannot host the sealing step.
        """
        if not stored_events:
            return []
        failed: Exception | None = None
        ids: Sequence[int] | None = None
        chain = self.chain
        digests = [content_digest(e.topic, e.state) for e in stored_events]  # before the lock
        with self.datastore.get_connection() as conn:
            # One round trip under the table lock: the previous seals are asked for before
            # the lock, the lock, the insert and the log's head travel together, and the
            # seals' insert travels with the commit.
            with conn.pipeline() as pipeline:
                try:
                    with conn.transaction(), conn.cursor() as curs, conn.cursor() as seals:
                        asked = chain.ask_previous(seals, stored_events)
                        self._insert_events(curs, stored_events, **kwargs)  # the library's hook
                        self._insert_stored_events(curs, stored_events, **kwargs)
                        with conn.cursor() as head:
                            chain.ask_head(head)
                            pipeline.sync()  # a uniqueness violation raises here
                            ids = self._fetch_ids_after_insert_events(curs, stored_events)
                            previous = chain.previous_found(seals) if asked else {}
                            hashes = chain.event_hashes(stored_events, previous, digests)
                            rows = stored_rows(ids, stored_events)
                            chain.check_key(curs)
                            chain.write_seals(curs, rows, hashes, head.fetchone())
                except Exception as error:  # noqa: BLE001 - raised once the pipeline is closed
                    failed = error
            if failed is not None:
                raise failed
        return ids


class SealingPOPORecorder(POPOApplicationRecorder):
    """In-memory events, sealed as they are appended."""

    def __init__(self) -> None:
        super().__init__()
        self.chain = MemoryChain(Hasher(), self._database_lock, self._rows)

    def _rows(self) -> list[StoredRow]:
        with self._database_lock:
            return stored_rows(range(1, len(self._stored_events) + 1), self._stored_events)

    def _update_table(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        first = len(self._stored_events) + 1
        self.chain.seal_rows(stored_rows(range(first, first + len(stored_events)), stored_events))
        return super()._update_table(stored_events, **kwargs)


def chain_of(recorder: object) -> Chain:
    """The seal table of a sealing recorder."""
    chain = getattr(recorder, "chain", None)
    if chain is None:
        raise TypeError(f"{type(recorder).__name__} does not seal events")
    return chain


def use_hasher(recorder: object, hasher: Hasher) -> None:
    """Seal (and verify) with this hasher from now on."""
    chain_of(recorder).hasher = hasher
