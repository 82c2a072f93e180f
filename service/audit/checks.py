"""What both verifiers do: recompute seals from stored digests, and explain a mismatch."""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

from service.audit.chain import Chain, Malformed, Row, as_uuid
from service.audit.report import (
    CHANGED,
    MALFORMED,
    MISSING,
    REORDERED,
    SEAL_ALTERED,
    UNSEALED,
    WRONG_KEY,
    Problem,
    Report,
)
from service.audit.seals import GENESIS, Seal


class Stored(NamedTuple):
    """A stored event reduced to what a seal covers."""

    position: int
    originator_id: UUID
    originator_version: int
    digest: bytes


class Checks:
    """What both verifiers do: recompute seals from stored digests and explain mismatches."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.hasher = chain.hasher
        self.report = Report()

    def previous_hash(self, originator_id: UUID, version: int) -> bytes:
        """The sealed hash of the aggregate's version before this one."""
        if version <= 1:
            return GENESIS
        seal = self.chain.seal_of(originator_id, version - 1)
        return seal.event_hash if seal else GENESIS

    def matches(self, stored: Stored, seal: Seal) -> bool:
        """Whether the stored digest, read as the sealed version, gives the sealed hash."""
        recomputed = self.hasher.event_hash(
            self.previous_hash(seal.originator_id, seal.originator_version),
            seal.originator_id,
            seal.originator_version,
            stored.digest,
        )
        return recomputed == seal.event_hash

    def key_matches(self) -> bool:
        """Report a wrong key (every hash would differ) instead of every event."""
        sealed_with = self.chain.sealed_with()
        if sealed_with is None or sealed_with == self.hasher.fingerprint:
            return True
        detail = "the events were sealed with another REGIMEN_CIPHER_KEY (or none)"
        self.report.add(Problem(0, WRONG_KEY, detail))
        return False

    def explain(self, position: int, stored: Stored, sealed: Seal | None) -> None:
        """Report why the event at a position does not match what was sealed there."""
        identity = (stored.originator_id, stored.originator_version)
        where = f"aggregate {identity[0]} version {identity[1]}"
        own = self.chain.seal_of(*identity)
        if own is not None and own.position != position:
            moved = self.matches(stored, own)
            detail = f"position {position} holds {where}, sealed at position {own.position}"
            detail += "" if moved else " with other bytes"
            self.report.add(Problem(position, REORDERED if moved else CHANGED, detail, *identity))
            return
        for version in (identity[1] - 1, identity[1] + 1):
            other = self.chain.seal_of(identity[0], version)
            if other is not None and self.matches(stored, other):
                detail = (
                    f"position {position} holds the content sealed as version {version} "
                    f"(position {other.position}) of aggregate {identity[0]}"
                )
                self.report.add(Problem(position, REORDERED, detail, *identity))
                return
        if sealed is None:
            detail = f"position {position} holds {where}, which was never sealed"
            self.report.add(Problem(position, UNSEALED, detail, *identity))
        elif (sealed.originator_id, sealed.originator_version) == identity:
            detail = f"the stored bytes of {where} at position {position} changed after sealing"
            self.report.add(Problem(position, CHANGED, detail, *identity))
        else:
            detail = (
                f"position {position} holds {where} instead of the sealed aggregate "
                f"{sealed.originator_id} version {sealed.originator_version}"
            )
            self.report.add(Problem(position, CHANGED, detail, *identity))

    def malformed(self, position: int, cells: Malformed, sealed: Seal | None) -> None:
        """Report a stored row that cannot be read as an event: a cell of the wrong type."""
        identity: tuple[UUID | None, int | None] = (cells.originator_id, cells.originator_version)
        if sealed is not None:  # the seal says which event the row was
            identity = (sealed.originator_id, sealed.originator_version)
        where = f"aggregate {identity[0]} version {identity[1]}"
        if sealed is None:
            where = "an event that was never sealed" + (f" ({where})" if identity[0] else "")
        detail = f"the stored row of {where} at position {position} is malformed: {cells.reason}"
        self.report.add(Problem(position, MALFORMED, detail, *identity))

    def missing(self, seal: Seal) -> None:
        """Report a sealed event that is no longer stored."""
        detail = (
            f"the event sealed at position {seal.position} (aggregate {seal.originator_id} "
            f"version {seal.originator_version}) is missing"
        )
        self.report.add(
            Problem(seal.position, MISSING, detail, seal.originator_id, seal.originator_version)
        )

    def check_link(self, seal: Seal, previous_log_hash: bytes) -> bool:
        """Report a seal that does not follow from the seal before it; whether it does."""
        if self.hasher.log_hash(previous_log_hash, seal.position, seal.event_hash) == seal.log_hash:
            return True
        detail = f"the seal at position {seal.position} was altered or a seal before it removed"
        self.report.add(
            Problem(
                seal.position, SEAL_ALTERED, detail, seal.originator_id, seal.originator_version
            )
        )
        return False


def seal_of_row(row: Row) -> Seal:
    """A seal from a raw page row."""
    return Seal(row[0], as_uuid(row[1]), row[2], bytes(row[3]), bytes(row[4]))


def stored_of_row(row: Row) -> Stored:
    """A stored event from a raw page row."""
    return Stored(row[0], as_uuid(row[1]), row[2], bytes(row[3]))
