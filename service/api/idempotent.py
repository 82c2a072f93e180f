"""Idempotency-Key on POST: claim the key before the command, keep its answer after it.

A retry with the same key, the same method, path and body, by the same user,
replays the first answer (status, body, Content-Type, Location, ETag) and writes
nothing. The same key with another request is refused with 422, as the IETF
Idempotency-Key draft advises: the request is well-formed but cannot be processed
under that key. A retry while the first request still runs is answered 409 with
Retry-After. Answers that invite a retry are not kept, so a retry runs again: 5xx
(the command failed, and nothing was saved unless the failure came after the save)
and 409 concurrent-change. If the answer cannot be kept (the database went away
after the command), the key stays claimed until its lease ends, then runs again.
"""

from __future__ import annotations

import hashlib
import json
from typing import cast

from flask import Flask, Response, current_app, g, request

from service.adapters.idempotency import (
    Answer,
    Claimed,
    IdempotencyKeys,
    Mismatch,
    Outcome,
    Replay,
)
from service.api.auth import request_account
from service.api.context import now
from service.api.problems import PROBLEM_TYPE, problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")
RETRY_INVITING = {PROBLEM_TYPE + "concurrent-change"}


def keys() -> IdempotencyKeys:
    """The idempotency keys of this app."""
    return cast(IdempotencyKeys, current_app.extensions["regimen.idempotency"])


def install(app: Flask, prefix: str) -> None:
    """Keep the keys in the event store's database and install the hooks for POSTs."""
    app.extensions["regimen.idempotency"] = IdempotencyKeys.of(app.extensions["regimen"])

    @app.before_request
    def claim_idempotency_key() -> Response | None:
        """Replay, refuse, or claim the key before the command runs."""
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or request.url_rule is None:
            return None  # not a command: a read, no key, or no such route (a 404 or 405)
        if not request.path.startswith(prefix):
            return None
        if not valid_key(key):
            return problem(
                400, f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters"
            )
        account = request_account()
        if account is None:
            return None  # the view answers 401; nothing to keep
        return answer_to_claim(keys().claim(str(account.user_id), key, fingerprint(), now()))

    @app.after_request
    def keep_answer(response: Response) -> Response:
        """Keep the answer for retries, or release the key if the answer invites a retry."""
        claimed = g.pop("regimen_idempotency_claim", None)
        if claimed is not None:
            if invites_retry(response):
                keys().release(claimed)
            else:
                keys().complete(claimed, answer_of(response))
        return response

    @app.teardown_request
    def release_unanswered(_: BaseException | None) -> None:
        claimed = g.pop("regimen_idempotency_claim", None)
        if claimed is not None:  # the request failed before it had an answer
            keys().release(claimed)


def answer_to_claim(outcome: Outcome) -> Response | None:
    """None to run the command (the key is now this request's), else the answer to give."""
    if isinstance(outcome, Claimed):
        g.regimen_idempotency_claim = outcome
        return None
    if isinstance(outcome, Replay):
        return replay(outcome.answer)
    if isinstance(outcome, Mismatch):
        return problem(
            422,
            f"this {HEADER} was already used for another request (method, path or body); "
            "send a new key with a new request",
            "idempotency-key-reused",
        )
    response = problem(
        409,
        f"a request with this {HEADER} is still running; retry it in a moment",
        "idempotency-key-in-use",
    )
    response.headers["Retry-After"] = "1"
    return response


def valid_key(key: str) -> bool:
    """Whether a key is 1 to 255 printable ASCII characters."""
    printable = all(" " <= c <= "~" for c in key)
    return 0 < len(key) <= MAX_KEY_LENGTH and printable and bool(key.strip())


def fingerprint() -> str:
    """A digest of the request's method, path, query and body (JSON compared by value)."""
    body = request.get_data(cache=True)
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256(f"{request.method} {request.full_path}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


def invites_retry(response: Response) -> bool:
    """Whether the client is told to try again: a server error, or a concurrent change."""
    if response.status_code >= 500:
        return True
    if response.mimetype != "application/problem+json":
        return False
    body = response.get_json(silent=True, force=True) or {}
    return body.get("type") in RETRY_INVITING


def answer_of(response: Response) -> Answer:
    """The parts of a response a replay sends again."""
    kept = {name: response.headers.get(name) for name in REPLAYED_HEADERS}
    headers = {name: value for name, value in kept.items() if value is not None}
    return Answer(response.status_code, headers, response.get_data(as_text=True))


def replay(answer: Answer) -> Response:
    """The first answer again, marked as a replay."""
    response = Response(answer.body, status=answer.status, headers=dict(answer.headers))
    response.headers["Idempotent-Replayed"] = "true"
    return response
