"""Each client's data key, wrapped by the cipher key, and which client each aggregate is about.

Both live in tables of the event store's own database, made by a schema step. A client's
key is made on first use (two processes making it at once agree: the first row written
wins and both read it back) and destroyed by an erasure, which keeps the row, empty, so
no new key is ever made for an erased client. Unwrapped keys and the aggregate-to-client
map are kept per process (the map never changes; a key only ever disappears, and an
erasure seen by this process's store forgets it). The map holds the aggregates used
last, up to `CLIENTS_KEPT`; one no longer held is looked up in the table again.
"""

from __future__ import annotations

import hmac
import os
from base64 import b64decode, b64encode
from contextlib import suppress
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import LRUCache
from eventsourcing.cipher import AESCipher
from eventsourcing.utils import Environment

from service.adapters.kept_tables import KeptTable
from service.adapters.view_recorders import ViewRecorder, view_recorder_for

KEYS_TABLE = "regimen_client_keys"
ABOUT_TABLE = "regimen_client_aggregates"
CREATE_STATEMENTS = (
    f"CREATE TABLE IF NOT EXISTS {KEYS_TABLE} ("
    " client_id TEXT PRIMARY KEY, wrapped TEXT NOT NULL, erased_at TEXT)",
    f"CREATE TABLE IF NOT EXISTS {ABOUT_TABLE} ("
    " aggregate_id TEXT PRIMARY KEY, client_id TEXT NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {ABOUT_TABLE}_by_client ON {ABOUT_TABLE} (client_id)",
)
_WRAP_LABEL = b"regimen client key wrap v1"
DATA_KEY_BYTES = 32
# Aggregates whose client (or lack of one) each process keeps: a few years of a busy
# clinic's plans, visits and calendar days, about 30 MB when full.
CLIENTS_KEPT = 100_000
# Clients whose unwrapped data key each process keeps: each key schedule is a few hundred
# bytes; beyond this the least recently used is unwrapped again when next needed.
CIPHERS_KEPT = 20_000


def aes_gcm(key: bytes) -> AESCipher:
    """AES-GCM under this key (the library's cipher: a random nonce per message)."""
    return AESCipher(Environment(env={AESCipher.CIPHER_KEY: b64encode(key).decode()}))


class ClientKeys(KeptTable):
    """Clients' data keys (wrapped) and the clients aggregates are about."""

    create_statement = CREATE_STATEMENTS[0]

    def __init__(
        self,
        recorder: ViewRecorder,
        cipher_key: str,
        kept: int = CLIENTS_KEPT,
        ciphers_kept: int = CIPHERS_KEPT,
    ) -> None:
        super().__init__(recorder)
        self.wrapper = aes_gcm(hmac.digest(b64decode(cipher_key), _WRAP_LABEL, "sha256"))
        self.ciphers: LRUCache[UUID, AESCipher | None] = LRUCache(maxsize=ciphers_kept)
        # An aggregate's client (None: about no client) never changes: its link, if any, is
        # written before its first event, so a later event never finds it missing.
        self.clients: LRUCache[UUID, UUID | None] = LRUCache(maxsize=kept)

    @classmethod
    def for_application(cls, application: Any, cipher_key: str) -> ClientKeys:
        """The keys in an application's database."""
        return cls(view_recorder_for(application), cipher_key)

    def cipher_of(self, client_id: UUID, *, make: bool = False) -> AESCipher | None:
        """The client's data cipher; None if the client is erased (or has no key and `make`
        is false). With `make`, a client without a key gets one."""
        with suppress(KeyError):
            return self.ciphers.get(client_id)
        wrapped = self._wrapped(client_id)
        if wrapped is None and make:
            fresh = b64encode(self.wrapper.encrypt(os.urandom(DATA_KEY_BYTES))).decode()
            self.recorder.write(
                [
                    (
                        f"INSERT INTO {KEYS_TABLE} (client_id, wrapped) VALUES (%s, %s)"
                        " ON CONFLICT (client_id) DO NOTHING",
                        (client_id.hex, fresh),
                    )
                ],
                (),
            )
            wrapped = self._wrapped(client_id)
        if wrapped is None:
            return None  # not cached: the key may be made later
        cipher = aes_gcm(self.wrapper.decrypt(b64decode(wrapped))) if wrapped else None
        self.ciphers.put(client_id, cipher)
        return cipher

    def _wrapped(self, client_id: UUID) -> str | None:
        rows = self.recorder.query(
            f"SELECT wrapped FROM {KEYS_TABLE} WHERE client_id = %s", (client_id.hex,)
        )
        return str(rows[0]["wrapped"]) if rows else None

    def link(self, aggregate_id: UUID, client_id: UUID) -> None:
        """Remember that an aggregate (a plan, a visit, an access log) is about a client."""
        with suppress(KeyError):  # not kept: written again, which changes nothing
            if self.clients.get(aggregate_id) == client_id:
                return
        self.recorder.write(
            [
                (
                    f"INSERT INTO {ABOUT_TABLE} VALUES (%s, %s) ON CONFLICT (aggregate_id)"
                    " DO NOTHING",
                    (aggregate_id.hex, client_id.hex),
                )
            ],
            (),
        )
        self.clients.put(aggregate_id, client_id)

    def client_of(self, aggregate_id: UUID) -> UUID | None:
        """The client an aggregate is about, if it is about one."""
        with suppress(KeyError):
            return self.clients.get(aggregate_id)
        rows = self.recorder.query(
            f"SELECT client_id FROM {ABOUT_TABLE} WHERE aggregate_id = %s",
            (aggregate_id.hex,),
        )
        client_id = UUID(rows[0]["client_id"]) if rows else None
        self.clients.put(aggregate_id, client_id)
        return client_id

    def aggregates_of(self, client_id: UUID) -> list[UUID]:
        """Every aggregate about the client (its plans, visits and their access logs)."""
        rows = self.recorder.query(
            f"SELECT aggregate_id FROM {ABOUT_TABLE} WHERE client_id = %s", (client_id.hex,)
        )
        return [UUID(row["aggregate_id"]) for row in rows]

    def destroy(self, client_id: UUID, now: datetime) -> None:
        """Destroy the client's data key: what was encrypted under it can never be read."""
        self.recorder.write(
            [
                (
                    f"INSERT INTO {KEYS_TABLE} VALUES (%s, '', %s) ON CONFLICT (client_id)"
                    " DO UPDATE SET wrapped = '', erased_at = excluded.erased_at",
                    (client_id.hex, now.isoformat()),
                )
            ],
            (),
        )
        self.forget(client_id)

    def forget(self, client_id: UUID) -> None:
        """Drop this process's copy of the client's key (after an erasure)."""
        with suppress(KeyError):
            self.ciphers.get(client_id, evict=True)
