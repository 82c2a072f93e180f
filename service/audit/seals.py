"""Seals: a keyed hash chain over each aggregate's stored events and over the whole log.

Every stored event gets one seal, written in the same transaction as the event:

- ``digest`` = SHA-256(topic length, topic, stored state bytes): what was stored;
- ``event_hash`` = MAC(the aggregate's previous event_hash, originator id, version,
  digest): the aggregate's own chain, so an event cannot move to another
  aggregate or version, and none can be dropped from the middle of a history;
- ``log_hash`` = MAC(the previous seal's log_hash, position, event_hash): a chained
  checkpoint over the whole notification log in position order, so no seal can
  be removed, reordered or edited without breaking every later link.

The stored bytes are hashed as stored, so sealing works the same with or without
encryption, and the digest can be computed by PostgreSQL itself (`sha256`), which
keeps verifying a million events to seconds. With a cipher key the MAC is
HMAC-SHA256 under a key derived from it: someone who can edit the database but
does not hold the key cannot forge seals.
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b64decode
from contextlib import suppress
from dataclasses import dataclass
from uuid import UUID

GENESIS = bytes(32)
UNKEYED = "sha256"
_KEY_LABEL = b"regimen audit seal key v1"


@dataclass(frozen=True)
class Seal:
    """The seal of the stored event at one position of the log."""

    position: int
    originator_id: UUID
    originator_version: int
    event_hash: bytes
    log_hash: bytes


class KeyMismatch(RuntimeError):
    """The store was sealed (and maybe encrypted) with another cipher key, or none."""


def content_digest(topic: str, state: bytes) -> bytes:
    """SHA-256 of an event's topic and stored state, as PostgreSQL computes it too."""
    topic_bytes = topic.encode()
    return hashlib.sha256(len(topic_bytes).to_bytes(4, "big") + topic_bytes + state).digest()


class Hasher:
    """Computes seals: HMAC-SHA256 when keyed, plain SHA-256 otherwise."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key
        if key is None:
            self.fingerprint = UNKEYED
        else:
            check = hmac.digest(key, b"regimen audit key check", "sha256")
            self.fingerprint = "hmac-sha256:" + check.hex()[:16]

    @classmethod
    def for_cipher_key(cls, cipher_key: str | None) -> Hasher:
        """A hasher keyed by a key derived from the (base64) cipher key, if one is set."""
        if not cipher_key:
            return cls(None)
        return cls(hmac.digest(b64decode(cipher_key), _KEY_LABEL, "sha256"))

    def mac(self, message: bytes) -> bytes:
        """SHA-256 of a message, or its HMAC-SHA256 under the key."""
        if self.key is None:
            return hashlib.sha256(message).digest()
        return hmac.digest(self.key, message, "sha256")

    def event_hash(
        self, previous: bytes, originator_id: UUID | str | bytes, version: int, digest: bytes
    ) -> bytes:
        """Link a stored event (by its digest) to the previous event of its aggregate."""
        return self.mac(
            previous + id_bytes(originator_id) + version.to_bytes(8, "big", signed=True) + digest
        )

    def log_hash(self, previous: bytes, position: int, event_hash: bytes) -> bytes:
        """Link a seal to the previous seal of the log."""
        return self.mac(previous + position.to_bytes(8, "big", signed=True) + event_hash)

    def check(self, sealed_with: str | None) -> None:
        """Raise KeyMismatch unless the store was sealed with this hasher's key."""
        if sealed_with is None or sealed_with == self.fingerprint:
            return
        if sealed_with == UNKEYED:
            raise KeyMismatch(
                "REGIMEN_CIPHER_KEY is set, but this database was written without one: "
                "its events are not encrypted and cannot be read or extended with a key"
            )
        if self.key is None:
            raise KeyMismatch(
                "this database was written with REGIMEN_CIPHER_KEY set; "
                "set the same key to read or write it"
            )
        raise KeyMismatch(
            "REGIMEN_CIPHER_KEY is not the key this database was written with; "
            "set the key it was written with"
        )


def id_bytes(originator_id: UUID | str | bytes) -> bytes:
    """The 16 bytes of a UUID, however the database returned it (UUID, hex text, bytes)."""
    if isinstance(originator_id, bytes):
        return originator_id
    if isinstance(originator_id, UUID):
        return originator_id.bytes
    if len(originator_id) == 32:
        with suppress(ValueError):
            return bytes.fromhex(originator_id)
    try:
        return UUID(originator_id).bytes
    except ValueError:
        text = originator_id.encode()
        return len(text).to_bytes(4, "big") + text
