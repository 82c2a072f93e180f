"""A command's precondition: the version of the aggregate it changes that the caller last saw.

HTTP's If-Match names the versions a client read. The API states that expectation
for the aggregate a request targets (`expecting`); the event store checks it each
time it loads that aggregate to decide (`require_expected_version`). The check and
the write are atomic because saving is optimistic: if another writer saved in
between, the save fails, the command is retried, and the retry loads the newer
version, which no longer matches. Once the command has saved the aggregate, what it
loads after is its own write, no longer a change since the caller read it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from service.domain.errors import DomainError


class PreconditionFailed(DomainError):
    """The aggregate changed since the caller read it (a stale If-Match)."""


@dataclass(frozen=True)
class ExpectedVersion:
    """An aggregate and the versions the caller accepts to change."""

    aggregate_id: UUID
    versions: frozenset[int]


_expected: ContextVar[ExpectedVersion | None] = ContextVar("expected_version", default=None)


@contextmanager
def expecting(aggregate_id: UUID, versions: Collection[int]) -> Iterator[None]:
    """Within the block, loading this aggregate at any other version fails the command."""
    token = _expected.set(ExpectedVersion(aggregate_id, frozenset(versions)))
    try:
        yield
    finally:
        _expected.reset(token)


def require_expected_version(aggregate: Any, noun: str) -> None:
    """Raise PreconditionFailed if a command expected another version of this aggregate."""
    expected = _expected.get()
    if expected is None or aggregate.id != expected.aggregate_id:
        return
    if aggregate.version not in expected.versions:
        sent = ", ".join(f'"{v}"' for v in sorted(expected.versions)) or "no current ETag"
        raise PreconditionFailed(
            f'the {noun} changed since you read it: its ETag is now "{aggregate.version}" '
            f"but If-Match sent {sent}; nothing was changed: read it again and retry "
            "with the new ETag",
            current_etag=f'"{aggregate.version}"',
        )


def precondition_met(saved: Iterable[UUID]) -> None:
    """After a save: if it wrote the expected aggregate, the expectation has been honoured."""
    expected = _expected.get()
    if expected is not None and expected.aggregate_id in set(saved):
        _expected.set(None)  # `expecting` still restores what came before it


_saved: ContextVar[dict[UUID, int] | None] = ContextVar("saved_versions", default=None)


@contextmanager
def noting_saves() -> Iterator[dict[UUID, int]]:
    """Within the block, the version each aggregate was saved at (a command's result
    can then carry the ETag of exactly what it wrote, not of a later read)."""
    saved: dict[UUID, int] = {}
    token = _saved.set(saved)
    try:
        yield saved
    finally:
        _saved.reset(token)


def note_saved(versions: Iterable[tuple[UUID, int]]) -> None:
    """After a save: the versions written, for an enclosing noting_saves()."""
    saved = _saved.get()
    if saved is not None:
        for aggregate_id, version in versions:
            saved[aggregate_id] = max(version, saved.get(aggregate_id, 0))
