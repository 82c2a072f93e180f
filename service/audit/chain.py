"""The seal table beside the events table: written with the events, read by the verifier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from service.audit.seals import Hasher, Seal, content_digest

PAGE = 5000

Row = Sequence[Any]
"""A raw row of a page of PAGE consecutive positions.

Stored: (position, id, version, digest), the digest a Malformed if a cell has the
wrong type (then the id and version are as stored: perhaps no UUID or number); sealed:
(position, id, version, event_hash, log_hash); the id as the database returns it most
cheaply.
"""


class ChainBroken(RuntimeError):
    """A new event got a position at or below the last seal: the log was cut back."""


class Malformed(NamedTuple):
    """A stored row with a cell of the wrong type, found where its digest would be."""

    reason: str
    originator_id: UUID | None  # None: the id cell itself is unreadable
    originator_version: int | None


def digest_of_cells(
    originator_id: object, originator_version: object, topic: object, state: object
) -> bytes | Malformed:
    """The content digest of a stored row, or which of its cells has the wrong type.

    A database without column types (SQLite) keeps whatever was written there, so a
    tampered row may hold text for a version or a number for the state: that is
    reported at its position, never raised.
    """
    aggregate_id = readable_uuid(originator_id)
    version = originator_version if type(originator_version) is int else None
    wrong = [
        f"{name} is {described(value)}, not {expected}"
        for name, value, expected, fits in (
            ("originator_id", originator_id, "a UUID", aggregate_id is not None),
            ("originator_version", originator_version, "a whole number", version is not None),
            ("topic", topic, "text", isinstance(topic, str)),
            ("state", state, "bytes", isinstance(state, bytes | bytearray | memoryview)),
        )
        if not fits
    ]
    if not wrong and isinstance(topic, str) and isinstance(state, bytes | bytearray | memoryview):
        return content_digest(topic, bytes(state))
    return Malformed("; ".join(wrong), aggregate_id, version)


def described(value: object) -> str:
    """A cell's value for a report: its kind and the start of it."""
    if value is None:
        return "NULL"
    kind = {str: "the text", bytes: "the bytes", int: "the number", float: "the number"}
    return f"{kind.get(type(value), 'a ' + type(value).__name__)} {value!r:.40}"


def readable_uuid(value: object) -> UUID | None:
    """A UUID from however the database returned it; None if it is none."""
    try:
        if isinstance(value, UUID):
            return value
        if isinstance(value, bytes):
            return UUID(bytes=value)
        if isinstance(value, str):
            return UUID(value)
    except ValueError:
        pass
    return None


def as_uuid(value: UUID | str | bytes) -> UUID:
    """A UUID from however the database returned it."""
    if isinstance(value, UUID):
        return value
    if isinstance(value, bytes):
        return UUID(bytes=value)
    return UUID(value)


class StoredEventRow(Protocol):
    """An event as stored (the library's StoredEvent, or a StoredRow), position aside."""

    @property
    def originator_id(self) -> UUID | str: ...  # noqa: D102

    @property
    def originator_version(self) -> int: ...  # noqa: D102

    @property
    def topic(self) -> str: ...  # noqa: D102

    @property
    def state(self) -> bytes: ...  # noqa: D102


class StoredRow(NamedTuple):
    """A stored event with its position in the log."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class Chain(Protocol):
    """What the verifier and the application read from the seal table."""

    hasher: Hasher

    def sealed_with(self) -> str | None:
        """The key fingerprint the store was sealed with, or None before the first seal."""

    def head(self) -> Seal | None:
        """The last seal of the log."""

    def seal_of(self, originator_id: UUID, version: int) -> Seal | None:
        """The seal of one version of an aggregate."""

    def seals_of(self, originator_id: UUID) -> Sequence[Seal]:
        """An aggregate's seals in version order."""

    def seal_before(self, position: int) -> Seal | None:
        """The last seal before a position."""

    def positions_of(self, originator_id: UUID) -> dict[int, int]:
        """Where each stored version of an aggregate sits in the log: version -> position."""

    def stored_page(self, after: int, upto: int) -> Sequence[Row]:
        """Stored events with after < position <= upto, as raw rows, in position order."""

    def seal_page(self, after: int, upto: int) -> Sequence[Row]:
        """Seals with after < position <= upto, as raw rows, in position order."""

    def reseal_from(self, position: int) -> int:
        """Drop the seals from a position on and seal every stored event from there."""


class Cursor(Protocol):
    """The part of a DB-API cursor the chain uses."""

    def execute(self, statement: Any, params: Any = ...) -> Any: ...  # noqa: D102
    def executemany(self, statement: Any, params: Any) -> Any: ...  # noqa: D102
    def fetchone(self) -> Any: ...  # noqa: D102
    def fetchall(self) -> Any: ...  # noqa: D102


def continued(events: Sequence[StoredEventRow]) -> dict[UUID, int]:
    """The aggregates the events continue, each with the version sealed before them (empty
    when every event starts its aggregate: no previous seal to ask for)."""
    wanted: dict[UUID, int] = {}
    for event in events:
        wanted.setdefault(as_uuid(event.originator_id), event.originator_version - 1)
    return {originator_id: v for originator_id, v in wanted.items() if v >= 1}
