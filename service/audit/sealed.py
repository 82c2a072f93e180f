"""The application's side of the seals: sealing recorders, verification, adopting old rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import ApplicationRecorder, MapperDeserialisationError
from eventsourcing.popo import POPOAggregateRecorder, POPOFactory
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.utils import get_topic

from service.adapters.store import BaseApplication
from service.adapters.verifications import Verification, Verifications
from service.audit.chain import Chain
from service.audit.recorders import SEALING_RECORDERS, SealingPOPORecorder, chain_of, use_hasher
from service.audit.report import SNAPSHOT_ALTERED, UNSEALED, Problem, Report
from service.audit.seals import Hasher, KeyMismatch
from service.audit.verify import AggregateVerifier, LogVerifier
from service.domain.errors import NotFound, RuleViolated
from service.domain.plan import TreatmentPlan

PLAN_TOPIC = get_topic(TreatmentPlan) + "."


class SealedStore(BaseApplication):
    """Every event sealed as it is stored; the seals verified on request."""

    def construct_env(self, name: str, env: Any = None) -> Any:
        """Store events through a sealing recorder on SQLite and PostgreSQL."""
        environment = super().construct_env(name, env)
        topic = SEALING_RECORDERS.get(environment.get("PERSISTENCE_MODULE", ""))
        if topic and not environment.get("APPLICATION_RECORDER_TOPIC"):
            environment["APPLICATION_RECORDER_TOPIC"] = topic
        return environment

    def construct_recorder(self) -> ApplicationRecorder:
        """The sealing recorder, keyed by the cipher key when one is set."""
        if isinstance(self.factory, POPOFactory):
            recorder: ApplicationRecorder = SealingPOPORecorder()
        else:
            recorder = super().construct_recorder()
        use_hasher(recorder, Hasher.for_cipher_key(self.env.get("CIPHER_KEY")))
        return recorder

    @property
    def chain(self) -> Chain:
        """The seals beside the events."""
        return chain_of(self.recorder)

    def key_problem(self) -> str | None:
        """Why the configured cipher key (or its absence) cannot read this store, or None
        if it can: the store remembers the fingerprint of the key it was sealed with."""
        try:
            self.chain.hasher.check(self.chain.sealed_with())
        except KeyMismatch as error:
            return str(error)
        return None

    def verify_log(
        self,
        progress: Callable[[int], None] = lambda position: None,
        anchor: tuple[int, bytes] | None = None,
    ) -> Report:
        """Check every stored event and seal, in pages (`progress` gets the position
        reached), then every snapshot against the events up to it (of an aggregate whose
        events all passed: replaying a changed or malformed event proves nothing)."""
        report = LogVerifier(self.chain).run(self.log_end(), progress, anchor)
        for aggregate_id in self.snapshotted():
            if aggregate_id not in report.aggregates:  # else its events are not to be replayed
                self._check_snapshots(aggregate_id, report)
        return report

    def record_verification(self, report: Report, now: datetime) -> None:
        """Keep what a verification of the whole log found, for `/metrics` on every node."""
        Verifications.of(self).record(
            Verification(
                ok=report.ok,
                problems=report.problem_count,
                events=report.events_checked,
                head_position=report.head.position if report.head else 0,
                finished_at=now,
            )
        )

    def snapshotted(self) -> list[UUID]:
        """Every aggregate that has a snapshot."""
        if self.snapshots is None:
            return []
        recorder: Any = self.snapshots.recorder
        if isinstance(recorder, POPOAggregateRecorder):
            return [UUID(i) for i, versions in recorder._stored_events_index.items() if versions]
        table = recorder.events_table_name
        if isinstance(recorder, PostgresAggregateRecorder):
            table = f'"{recorder.datastore.schema}"."{table}"'
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT DISTINCT originator_id FROM {table}")
            return [UUID(str(row["originator_id"])) for row in cursor.fetchall()]

    def _check_snapshots(self, aggregate_id: UUID, report: Report) -> None:
        altered = self.altered_snapshots(aggregate_id)
        positions = self.chain.positions_of(aggregate_id) if altered else {}
        for version in altered:
            detail = f"the snapshot of version {version} does not match the events up to it"
            position = positions.get(version, 0)
            report.add(Problem(position, SNAPSHOT_ALTERED, detail, aggregate_id, version))

    def log_end(self) -> int:
        """The last position holding an event or a seal."""
        stored = self.recorder.max_notification_id() or 0
        head = self.chain.head()
        return max(stored, head.position if head else 0)

    def verify_history(self, plan_id: UUID) -> Report:
        """Check one plan's stored events against their seals, and its snapshots against both."""
        stored = self.recorder.select_events(plan_id)
        if stored and stored[0].originator_version == 1:
            topic = stored[0].topic  # not text only if tampered with: then verified below
            if isinstance(topic, str) and not topic.startswith(PLAN_TOPIC):
                raise NotFound(f"no treatment plan with id {plan_id}")
        elif not stored and not self.chain.seals_of(plan_id):
            raise NotFound(f"no treatment plan with id {plan_id}")
        positions = self.chain.positions_of(plan_id)
        report = AggregateVerifier(self.chain).run(plan_id, stored, positions)
        if report.ok:
            self._check_snapshots(plan_id, report)
        return report

    def altered_snapshots(self, aggregate_id: UUID) -> list[int]:
        """Versions whose stored snapshot is not what the sealed events up to it give.

        Snapshots are not sealed (the library writes them after the events, in their
        own table), but a snapshot is only a cache of the events: it is checked by
        replaying the (verified) events up to its version.
        """
        if self.snapshots is None:
            return []
        altered = []
        encode = self.mapper.transcoder.encode
        for stored in self.snapshots.recorder.select_events(aggregate_id):
            try:
                snapshot = cast(Snapshot, self.mapper.to_domain_event(stored))
            except MapperDeserialisationError:
                altered.append(stored.originator_version)
                continue
            events = self.events.get(aggregate_id, lte=snapshot.originator_version)
            aggregate = project_aggregate(None, events)
            if aggregate is None:
                altered.append(snapshot.originator_version)
                continue
            replayed = type(snapshot).take(aggregate)
            if encode(replayed.state) != encode(snapshot.state):
                altered.append(snapshot.originator_version)
        return altered

    def seal_unsealed(self, progress: Callable[[int], None] = lambda position: None) -> int:
        """Seal events stored before sealing began (or by a writer that does not seal).

        Refuses when anything sealed fails verification, so that no altered row is
        ever sealed; returns how many events were (re)sealed.
        """
        report = self.verify_log(progress)
        if report.ok:
            return 0
        if report.problem_count != report.counts.get(UNSEALED, 0):
            raise RuleViolated(
                "sealed events fail verification; run `regimen audit verify` and "
                "investigate before sealing anything"
            )
        first = report.problems[0].position
        return self.chain.reseal_from(first)
