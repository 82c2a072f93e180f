"""The idempotency keys' table, on every backend: one claim wins, answers outlive the process."""

from __future__ import annotations

import threading
from base64 import b64encode
from concurrent.futures import ThreadPoolExecutor

import pytest

from service.adapters.idempotency import (
    RETENTION_SECONDS,
    TABLE,
    Answer,
    Claimed,
    IdempotencyKeys,
    InProgress,
    Mismatch,
    Outcome,
    Replay,
)
from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from tests.fakes import FixedClock

CONTENDERS = 8


def test_of_many_concurrent_claims_of_one_key_exactly_one_wins(regimen: Regimen) -> None:
    keys, now = IdempotencyKeys.of(regimen), FixedClock().now
    start = threading.Barrier(CONTENDERS)

    def contend(_: int) -> Outcome:
        start.wait()
        return keys.claim("user-1", "book-cora", "same-request", now)

    with ThreadPoolExecutor(CONTENDERS) as pool:
        outcomes = list(pool.map(contend, range(CONTENDERS)))

    assert sum(isinstance(o, Claimed) for o in outcomes) == 1
    assert sum(isinstance(o, InProgress) for o in outcomes) == CONTENDERS - 1


def test_a_completed_key_replays_its_answer_and_refuses_another_request(regimen: Regimen) -> None:
    keys, now = IdempotencyKeys.of(regimen), FixedClock().now
    claimed = keys.claim("user-1", "book-cora", "request-a", now)
    assert isinstance(claimed, Claimed)
    answer = Answer(201, {"Location": "/api/v1/plans/1"}, '{"id": "1"}')

    keys.complete(claimed, answer)

    assert keys.claim("user-1", "book-cora", "request-a", now) == Replay(answer)
    assert keys.claim("user-1", "book-cora", "request-b", now) == Mismatch()
    assert isinstance(keys.claim("user-2", "book-cora", "request-b", now), Claimed)


def test_a_released_key_can_be_claimed_again(regimen: Regimen) -> None:
    keys, now = IdempotencyKeys.of(regimen), FixedClock().now
    claimed = keys.claim("user-1", "book-cora", "request-a", now)
    assert isinstance(claimed, Claimed)

    keys.release(claimed)

    assert isinstance(keys.claim("user-1", "book-cora", "request-a", now), Claimed)


def test_answers_outlive_the_process_that_kept_them(settings: Settings, regimen: Regimen) -> None:
    if settings.backend == "memory":
        pytest.skip("an in-memory store dies with its process: nothing to restart")
    now = FixedClock().now
    keys = IdempotencyKeys.of(regimen)
    claimed = keys.claim("user-1", "book-cora", "request-a", now)
    assert isinstance(claimed, Claimed)
    keys.complete(claimed, Answer(201, {}, "{}"))

    restarted = build_regimen(settings)
    try:
        outcome = IdempotencyKeys.of(restarted).claim("user-1", "book-cora", "request-a", now)
    finally:
        restarted.close()

    assert outcome == Replay(Answer(201, {}, "{}"))


def test_with_a_cipher_key_answers_are_kept_encrypted_and_replayed_readable(
    sqlite_url: str,
) -> None:
    settings = Settings(database_url=sqlite_url, cipher_key=b64encode(bytes(range(32))).decode())
    regimen = build_regimen(settings)
    try:
        keys, now = IdempotencyKeys.of(regimen), FixedClock().now
        claimed = keys.claim("user-1", "perform-1", "request-a", now)
        assert isinstance(claimed, Claimed)
        answer = Answer(200, {"ETag": '"4"'}, '{"notes": "left shoulder guarded"}')
        keys.complete(claimed, answer)

        replayed = keys.claim("user-1", "perform-1", "request-a", now)
        stored = keys.recorder.query(f"SELECT answer FROM {TABLE}")
    finally:
        regimen.close()

    assert replayed == Replay(answer)
    assert "shoulder" not in stored[0]["answer"]


def test_a_claim_clears_the_users_keys_older_than_a_day(regimen: Regimen) -> None:
    keys, clock = IdempotencyKeys.of(regimen), FixedClock()
    for key in ("old-1", "old-2"):
        claimed = keys.claim("user-1", key, "request", clock.now)
        assert isinstance(claimed, Claimed)
        keys.complete(claimed, Answer(201))
    keys.claim("user-2", "other-user", "request", clock.now)
    clock.advance(seconds=RETENTION_SECONDS + 1)

    keys.claim("user-1", "new", "request", clock.now)

    kept = keys.recorder.query(f"SELECT user_id, idem_key FROM {TABLE} ORDER BY user_id")
    assert [(r["user_id"], r["idem_key"]) for r in kept] == [
        ("user-1", "new"),
        ("user-2", "other-user"),
    ]
