"""Idempotency keys: the first answer to a command, kept so that a retry replays it.

Keys live in a table of the event store's own database (beside the views), so
every server process sees the same keys and they survive restarts. A request
claims its key in one statement (INSERT ... ON CONFLICT DO NOTHING) before the
command runs, so two concurrent retries cannot both execute: the loser sees the
claim in progress. A claim left by a process that died is taken over after a
lease; answers are forgotten after a retention period (each claim clears its
user's expired keys, so the table holds about a day of keys). With the event store's
cipher, answers are kept encrypted like the events (they may hold clinical notes).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventsourcing.persistence import Cipher

from service.adapters.kept_tables import KeptTable
from service.adapters.view_recorders import ViewRecorder

TABLE = "regimen_idempotency_keys"
CLAIM_LEASE_SECONDS = 120
RETENTION_SECONDS = 24 * 3600
CLAIM_ATTEMPTS = 3

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    user_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    claim TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    status INTEGER,
    answer TEXT,
    PRIMARY KEY (user_id, idem_key)
)"""
WHERE_KEY = "user_id = %s AND idem_key = %s"


@dataclass(frozen=True)
class Answer:
    """A stored answer: status, the headers worth replaying, and the body."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str = ""


@dataclass(frozen=True)
class Claimed:
    """This request owns the key: run the command, then complete or release the claim."""

    user_id: str
    key: str
    claim: str


@dataclass(frozen=True)
class InProgress:
    """Another request with this key is running now."""


@dataclass(frozen=True)
class Mismatch:
    """The key was used for a different request (method, path or body)."""


@dataclass(frozen=True)
class Replay:
    """The key's first answer, to send again."""

    answer: Answer


Outcome = Claimed | InProgress | Mismatch | Replay


class IdempotencyKeys(KeptTable):
    """The keys of every user, in the event store's database."""

    create_statement = CREATE_TABLE

    def __init__(self, recorder: ViewRecorder, cipher: Cipher | None = None) -> None:
        super().__init__(recorder)
        self.cipher = cipher

    @classmethod
    def on(cls, recorder: ViewRecorder, application: Any) -> IdempotencyKeys:
        """The keys, sealed with the application's cipher if it has one."""
        return cls(recorder, cipher=application.mapper.cipher)

    def claim(self, user_id: str, key: str, fingerprint: str, now: datetime) -> Outcome:
        """Claim the key for this request, or say why not (in progress, mismatch, replay)."""
        mine = uuid.uuid4().hex
        at = int(now.timestamp())
        for _ in range(CLAIM_ATTEMPTS):
            self.recorder.write(
                [
                    (  # the user's expired keys, and this key's claim if its holder died
                        f"DELETE FROM {TABLE} WHERE user_id = %s AND (claimed_at < %s"
                        " OR (idem_key = %s AND status IS NULL AND claimed_at < %s))",
                        (user_id, at - RETENTION_SECONDS, key, at - CLAIM_LEASE_SECONDS),
                    ),
                    (
                        f"INSERT INTO {TABLE} (user_id, idem_key, fingerprint, claim, claimed_at)"
                        " VALUES (%s, %s, %s, %s, %s)"
                        " ON CONFLICT (user_id, idem_key) DO NOTHING",
                        (user_id, key, fingerprint, mine, at),
                    ),
                ],
                (),
            )
            rows = self.recorder.query(
                f"SELECT fingerprint, claim, status, answer FROM {TABLE} WHERE {WHERE_KEY}",
                (user_id, key),
            )
            if rows:  # else the holder released it between the two statements: claim again
                return self._outcome(rows[0], Claimed(user_id, key, mine), fingerprint)
        return InProgress()

    def complete(self, claimed: Claimed, answer: Answer) -> None:
        """Keep the answer of a claimed request, for its retries to replay."""
        self.recorder.write(
            [
                (
                    f"UPDATE {TABLE} SET status = %s, answer = %s WHERE {WHERE_KEY} AND claim = %s",
                    (
                        answer.status,
                        self._seal({"headers": dict(answer.headers), "body": answer.body}),
                        claimed.user_id,
                        claimed.key,
                        claimed.claim,
                    ),
                )
            ],
            (),
        )

    def release(self, claimed: Claimed) -> None:
        """Forget a claim without an answer, so that a retry runs the command again."""
        self.recorder.write(
            [
                (
                    f"DELETE FROM {TABLE} WHERE {WHERE_KEY} AND claim = %s",
                    (claimed.user_id, claimed.key, claimed.claim),
                )
            ],
            (),
        )

    def forget_mentioning(self, ids: Collection[str]) -> None:
        """Delete every kept answer that names one of these ids (an erased client's)."""
        rows = self.recorder.query(f"SELECT user_id, idem_key, answer FROM {TABLE}")
        doomed = [
            (row["user_id"], row["idem_key"])
            for row in rows
            if row["answer"] and any(i in self._open(row["answer"])["body"] for i in ids)
        ]
        self.recorder.write([(f"DELETE FROM {TABLE} WHERE {WHERE_KEY}", key) for key in doomed], ())

    def _outcome(self, row: dict[str, Any], mine: Claimed, fingerprint: str) -> Outcome:
        if row["claim"] == mine.claim:
            return mine
        if row["fingerprint"] != fingerprint:
            return Mismatch()
        if row["status"] is None:
            return InProgress()
        kept = self._open(row["answer"])
        return Replay(Answer(int(row["status"]), kept["headers"], kept["body"]))

    def _seal(self, answer: dict[str, Any]) -> str:
        plain = json.dumps(answer).encode()
        if self.cipher is None:
            return plain.decode()
        return base64.b64encode(self.cipher.encrypt(plain)).decode()

    def _open(self, sealed: str) -> dict[str, Any]:
        if self.cipher is None:
            return dict(json.loads(sealed))
        return dict(json.loads(self.cipher.decrypt(base64.b64decode(sealed))))
