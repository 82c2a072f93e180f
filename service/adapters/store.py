"""The event store under Regimen: transcodings, loading, optimistic retries."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Recording,
    Transcoder,
)
from eventsourcing.popo import POPOAggregateRecorder
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import Environment

from service.adapters.client_keys import ClientKeys
from service.adapters.client_mapper import ClientKeyedMapper
from service.adapters.encoding import CompiledTranscoder
from service.adapters.postgres_pool import check_after_idle
from service.adapters.preconditions import note_saved, precondition_met, require_expected_version
from service.adapters.recent import RecentAggregates
from service.adapters.schema import LOCKED_MODULES
from service.adapters.sqlite_pool import cache_statements
from service.adapters.transcodings import register_value_transcodings
from service.domain.errors import ConcurrentChange, NotFound
from service.domain.plan import TreatmentPlan

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
SAVE_ATTEMPTS = 5
_IN_RETRIED: ContextVar[bool] = ContextVar("in_retried", default=False)


def retried(use_case: F) -> F:
    """Run a load-decide-save use case again, from its first load, when a concurrent save won.

    The first argument is the application (`self` for a method). Only the outermost
    retried call retries: a use case calling another runs it once per attempt of its own.
    """

    @functools.wraps(use_case)
    def run(app: BaseApplication, *args: Any, **kwargs: Any) -> Any:
        if _IN_RETRIED.get():
            return use_case(app, *args, **kwargs)
        outermost = _IN_RETRIED.set(True)
        try:
            return _retrying(lambda: use_case(app, *args, **kwargs))
        finally:
            _IN_RETRIED.reset(outermost)

    return cast(F, run)


def _retrying(attempt: Callable[[], T]) -> T:
    """Run a load-decide-save attempt again when a concurrent save won."""
    for tries in range(SAVE_ATTEMPTS - 1):
        try:
            return attempt()
        except IntegrityError:
            # Back off a random while, so writers racing for one day spread out.
            time.sleep(random.uniform(0, 0.005 * 2**tries))
    try:
        return attempt()
    except IntegrityError:
        raise ConcurrentChange("the records changed while this command ran; try again") from None


class BaseApplication(Application[UUID]):
    """The event store, transcodings, loading and optimistic retries."""

    name = "Regimen"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {TreatmentPlan: 50}

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        self.recent = RecentAggregates(self)
        cipher_key = self.env.get("CIPHER_KEY")
        if cipher_key and isinstance(self.mapper, ClientKeyedMapper):
            self.mapper.keys = ClientKeys.for_application(self, cipher_key)
            self.mapper.on_erasure = self.recent.forget

    @property
    def client_keys(self) -> ClientKeys | None:
        """Clients' data keys, when a cipher key is set (else None: nothing to shred)."""
        return self.mapper.keys if isinstance(self.mapper, ClientKeyedMapper) else None

    def construct_env(self, name: str, env: Any = None) -> Any:
        """Settings come only from the env given (built by service.config), never os.environ."""
        merged = dict(type(self).env)
        if self.snapshotting_intervals:
            merged["IS_SNAPSHOTTING_ENABLED"] = "y"
        merged.update(env or {})
        if merged.get("PERSISTENCE_MODULE") in LOCKED_MODULES:
            # The library would create the tables unlocked, racing other processes: the
            # schema's steps create them, under its lock (service/adapters/schema_versions.py).
            merged["CREATE_TABLE"] = "no"
        return Environment(name, merged)

    def construct_factory(self, env: Any) -> Any:
        """The library's persistence, with SQLite connections that keep their statements and
        PostgreSQL connections checked only after idleness (service/adapters/postgres_pool.py)."""
        factory = super().construct_factory(env)
        datastore = getattr(factory, "datastore", None)
        if isinstance(datastore, SQLiteDatastore):
            cache_statements(datastore)
        if isinstance(datastore, PostgresDatastore):
            check_after_idle(datastore)
        return factory

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, able to seal clients' fields under their own keys."""
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=ClientKeyedMapper
        )

    def construct_transcoder(self) -> Transcoder:
        """A JSON transcoder that knows the domain's value types (the library's bytes,
        written faster: service/adapters/encoding.py)."""
        transcoder = CompiledTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Register the library's and the domain's transcodings."""
        super().register_transcodings(transcoder)
        register_value_transcodings(transcoder)

    def load(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        """The aggregate of this type and id, or NotFound with a clear message."""
        try:
            aggregate: Aggregate = (
                self.recent.get(aggregate_id)
                if version is None
                else self.repository.get(aggregate_id, version=version)
            )
        except AggregateNotFoundError:
            raise NotFound(f"no {_noun(cls)} with id {aggregate_id}") from None
        return self.found(cls, aggregate_id, aggregate, present=version is None)

    def found(self, cls: type[A], aggregate_id: UUID, aggregate: Any, present: bool = True) -> A:
        """The aggregate loaded for this id, if it is one of this type, else NotFound.

        A command deciding on the `present` honours the caller's If-Match.
        """
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {_noun(cls)} with id {aggregate_id}")
        if present:
            require_expected_version(aggregate, _noun(cls))
        return aggregate

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Save; a caller's If-Match is then met (what the command loads next is its own write).

        The library's save, but its events collected with a plain class check: the library
        asks each object whether it is a domain event and whether it collects events by
        isinstance against runtime Protocols, about 0.1 ms an aggregate (2 ms of a series
        booking, which saves 21 aggregates)."""
        processing = ProcessingEvent[UUID]()
        for obj in objs:
            if isinstance(obj, Aggregate):
                processing.events.extend(obj.collect_events())
                processing.aggregates[obj.id] = obj
            elif obj is not None:
                processing.collect_events(obj)
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.recent.keep(objs)
        events = [r.domain_event for r in recordings]
        precondition_met(e.originator_id for e in events)
        note_saved((e.originator_id, e.originator_version) for e in events)
        return recordings

    @retried
    def change(self, cls: type[A], aggregate_id: UUID, change: Callable[[A], object]) -> A:
        """Load, change, save and return one aggregate: a use case that touches no calendar."""
        aggregate = self.load(cls, aggregate_id)
        change(aggregate)
        self.save(aggregate)
        return aggregate

    def current(self, ids: Iterable[UUID], *, shared: bool = False) -> dict[UUID, Aggregate]:
        """These aggregates as they are now (those that exist), read together; `shared`:
        the kept aggregates themselves, for a caller that only reads them."""
        return self.recent.get_many(ids, shared=shared)

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, or None if it does not exist."""
        try:
            return self.load(cls, aggregate_id)
        except NotFound:
            return None

    def history(self, aggregate_id: UUID) -> list[Aggregate.Event]:
        """Every stored event of an aggregate, oldest first."""
        return [cast(Aggregate.Event, e) for e in self.events.get(aggregate_id)]

    def delete_snapshots(self, ids: Iterable[UUID]) -> None:
        """Delete these aggregates' snapshots (a cache of their events: an erased client's
        would keep what the destroyed key hid)."""
        if self.snapshots is None:
            return
        recorder: Any = self.snapshots.recorder
        if isinstance(recorder, POPOAggregateRecorder):
            for aggregate_id in ids:
                recorder._stored_events_index.pop(str(aggregate_id), None)
            return
        table = recorder.events_table_name
        postgres = isinstance(recorder, PostgresAggregateRecorder)
        if postgres:
            table = f'"{recorder.datastore.schema}"."{table}"'
        marker = "%s" if postgres else "?"
        with recorder.datastore.transaction(commit=True) as cursor:
            for aggregate_id in ids:
                value = aggregate_id if postgres else aggregate_id.hex
                cursor.execute(f"DELETE FROM {table} WHERE originator_id = {marker}", (value,))

    def database_ok(self) -> bool:
        """Whether the event store answers a read."""
        self.recorder.max_notification_id()
        return True


def _noun(cls: type) -> str:
    return "".join(f" {c.lower()}" if c.isupper() else c for c in cls.__name__).strip()
