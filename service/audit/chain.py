"""The seal table beside the events table: written with the events, read by the verifier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from service.audit.seals import Hasher, Seal

PAGE = 5000

Row = Sequence[Any]
"""A raw row of a page of PAGE consecutive positions.

Stored: (position, id, version, digest); sealed: (position, id, version, event_hash,
log_hash); the id as the database returns it most cheaply.
"""


class ChainBroken(RuntimeError):
    """A new event got a position at or below the last seal: the log was cut back."""


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
