"""Verifying the seals: the whole log page by page, or one aggregate's history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from service.audit.chain import PAGE, Malformed, Row, StoredEventRow, as_uuid, digest_of_cells
from service.audit.checks import Checks, Stored, seal_of_row, stored_of_row
from service.audit.report import ANCHOR_MISMATCH, REORDERED, Problem, Report
from service.audit.seals import GENESIS, Seal, id_bytes


class LogVerifier(Checks):
    """Checks every stored event and seal up to a position, in pages, in position order.

    The common case (the event at a position is the one sealed there, unchanged)
    runs on raw rows with two hashes; anything else goes to the slower diagnosis.
    """

    def run(
        self,
        stop: int,
        progress: Callable[[int], None] = lambda position: None,
        anchor: tuple[int, bytes] | None = None,
    ) -> Report:
        """Verify positions 1..stop; `progress` gets the position reached after each page."""
        if not self.key_matches():
            return self.report
        self.previous_log_hash, after = GENESIS, 0
        self.latest: dict[Any, tuple[int, bytes, bytes]] = {}
        self.last_seal: Row | None = None
        while after < stop:
            upto = min(after + PAGE, stop)
            self._merge(self.chain.stored_page(after, upto), self.chain.seal_page(after, upto))
            after = upto
            progress(after)
        if self.last_seal is not None:
            self.report.head = seal_of_row(self.last_seal)
        if anchor is not None:
            self._check_anchor(*anchor)
        return self.report

    def _merge(self, events: Sequence[Row], seals: Sequence[Row]) -> None:
        i = j = 0
        while True:
            event = events[i] if i < len(events) else None
            seal = seals[j] if j < len(seals) else None
            if event is not None and (seal is None or event[0] < seal[0]):
                self.report.events_checked += 1
                if isinstance(event[3], Malformed):
                    self.malformed(event[0], event[3], None)
                else:
                    self.explain(event[0], stored_of_row(event), None)
                i += 1
            elif seal is not None and (event is None or seal[0] < event[0]):
                self._sealed(seal, None)
                j += 1
            elif seal is not None:
                self._sealed(seal, event)
                i, j = i + 1, j + 1
            else:
                return

    def _sealed(self, seal: Row, event: Row | None) -> None:
        position, key, version, event_hash, log_hash = seal
        report, mac = self.report, self.hasher.mac
        report.seals_checked += 1
        linked = mac(self.previous_log_hash + _int64(position) + event_hash) == log_hash
        if not linked:
            self.check_link(seal_of_row(seal), self.previous_log_hash)
        self.previous_log_hash = log_hash
        known = self.latest.get(key)
        raw_id = known[2] if known is not None else id_bytes(key)
        chained = event_hash
        if event is None:
            self.missing(seal_of_row(seal))
        elif isinstance(event[3], Malformed):
            report.events_checked += 1
            self.malformed(position, event[3], seal_of_row(seal))
        else:
            report.events_checked += 1
            if known is not None and known[0] == version - 1:
                previous = known[1]
            else:
                previous = self.previous_hash(as_uuid(key), version)
            recomputed = None
            if event[1] == key and event[2] == version:
                recomputed = mac(previous + raw_id + _int64(version) + event[3])
            if not linked:  # the seal is not to be trusted: go on from the stored bytes
                chained = recomputed or event_hash
            elif recomputed != event_hash:
                self.explain(position, stored_of_row(event), seal_of_row(seal))
        self.latest[key] = (version, chained, raw_id)
        self.last_seal = seal

    def _check_anchor(self, position: int, log_hash: bytes) -> None:
        seal = self.chain.seal_before(position + 1)
        if seal is None or seal.position != position or seal.log_hash != log_hash:
            detail = f"the log no longer passes through the anchored hash at position {position}"
            self.report.add(Problem(position, ANCHOR_MISMATCH, detail))


class AggregateVerifier(Checks):
    """Checks one aggregate's stored events against its seals, version by version."""

    def run(
        self, aggregate_id: UUID, stored: Sequence[StoredEventRow], positions: dict[int, int]
    ) -> Report:
        """Verify every stored and sealed version of the aggregate."""
        if not self.key_matches():
            return self.report
        seals = self.seals = {s.originator_version: s for s in self.chain.seals_of(aggregate_id)}
        events = self.readable(aggregate_id, stored, positions)
        self.trusted: dict[int, bytes] = {}
        for version in sorted(events.keys() | seals.keys()):
            event, seal = events.get(version), seals.get(version)
            if seal is None:
                self.report.events_checked += 1
                assert event is not None
                self.explain(event.position, event, None)
                continue
            self.report.seals_checked += 1
            self.report.head = seal
            before = self.chain.seal_before(seal.position)
            linked = self.check_link(seal, before.log_hash if before else GENESIS)
            if event is None:
                if version not in self.unreadable:  # else reported as malformed
                    self.missing(seal)
                continue
            self.report.events_checked += 1
            if not linked:  # the seal is not to be trusted: go on from the stored bytes
                self.trusted[version] = self.hasher.event_hash(
                    self.previous_hash(aggregate_id, version), aggregate_id, version, event.digest
                )
            elif event.position != seal.position:
                detail = (
                    f"version {version} of aggregate {aggregate_id} is at position "
                    f"{event.position} but was sealed at position {seal.position}"
                )
                self.report.add(Problem(seal.position, REORDERED, detail, aggregate_id, version))
            elif not self.matches(event, seal):
                self.explain(seal.position, event, seal)
        self.report.problems.sort(key=lambda problem: problem.position)
        return self.report

    def readable(
        self, aggregate_id: UUID, stored: Sequence[StoredEventRow], positions: dict[int, int]
    ) -> dict[int, Stored]:
        """The stored events by version; each malformed one reported at its position, as
        the version sealed there (then not also reported missing)."""
        sealed_at: dict[int, Seal] = {s.position: s for s in self.seals.values()}
        self.unreadable: set[int] = set()
        events = {}
        for event in stored:
            position = positions.get(event.originator_version, 0)
            digest = digest_of_cells(
                aggregate_id, event.originator_version, event.topic, event.state
            )
            if isinstance(digest, Malformed):
                self.report.events_checked += 1
                seal = sealed_at.get(position)
                self.malformed(position, digest, seal)
                if seal is not None:
                    self.unreadable.add(seal.originator_version)
                continue
            events[event.originator_version] = Stored(
                position, aggregate_id, event.originator_version, digest
            )
        return events

    def previous_hash(self, originator_id: UUID, version: int) -> bytes:
        """The sealed hash of the version before, from this aggregate's seals."""
        if version - 1 in self.trusted:
            return self.trusted[version - 1]
        seal = self.seals.get(version - 1)
        return seal.event_hash if seal else GENESIS


def _int64(number: int) -> bytes:
    return number.to_bytes(8, "big", signed=True)
