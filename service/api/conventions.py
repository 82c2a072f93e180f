"""HTTP conventions every endpoint shares, installed once as request hooks, not per view.

- `If-Match` on a write to one resource (a plan and its sessions, a client, a
  therapist, a room, the clinic) names the versions the client last read; the
  command fails with 412 if it would decide on another (see service.adapters.preconditions).
- `Idempotency-Key` on a POST: a retry with the same key and request replays the
  first answer and writes nothing (see idempotent.py).
- A missing token or a role not allowed is answered (401, 403) before anything else.
- Requests are whole and readable; JSON answers say nosniff, and they and every answer
  under the prefix no-store (limits.py).
- Both, and every error each operation can answer, are documented (convention_docs.py).
"""

from __future__ import annotations

import re
from contextlib import ExitStack

from flask import Flask, Response, g, request
from flask_smorest import Api

from service.adapters.preconditions import PreconditionFailed, expecting
from service.api import auth, convention_docs, idempotent, limits
from service.api.problems import problem
from service.api.resources import WRITES, Resources

VERSION_TAG = re.compile(r"[0-9]{1,18}")  # what etag(version) makes; anything else never matches
# RFC 9110 If-Match: "*" or a list of one or more entity-tags, W/"..." or "...".
ENTITY_TAG = r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"'
IF_MATCH = re.compile(rf"[ \t]*(\*|(,[ \t]*)*{ENTITY_TAG}([ \t]*,([ \t]*{ENTITY_TAG})?)*)[ \t]*")


def matching_versions(header: str) -> set[int]:
    """The versions an If-Match list names; weak tags never match (strong comparison)."""
    return {
        int(opaque)
        for weak, opaque in re.findall(ENTITY_TAG, header)
        if not weak and VERSION_TAG.fullmatch(opaque)
    }


def install(app: Flask, api: Api, prefix: str) -> None:
    """Install the conventions' hooks and their documentation (call before any blueprint)."""
    auth.install(app)  # first: who may ask comes before how the request is written
    limits.install(app, prefix)
    resources = Resources(prefix)
    app.extensions["regimen.resources"] = resources
    convention_docs.register(api, resources)
    idempotent.install(app, prefix)

    @app.before_request
    def expect_if_match() -> Response | None:
        """Let the command run only on a version of its aggregate that If-Match names."""
        rule, header = request.url_rule, request.headers.get("If-Match")
        if rule is None or request.method not in WRITES or header is None:
            return None
        target = resources.target(rule.rule, request.view_args or {})
        if target is None:
            return None  # a collection: If-Match has nothing to name
        if not IF_MATCH.fullmatch(header):
            return problem(
                400,
                'If-Match must be "*" or a list of ETags such as "3"; nothing was changed',
                "malformed-if-match",
            )
        if header.strip() == "*":
            return None  # any current version will do
        g.regimen_preconditions = stack = ExitStack()
        stack.enter_context(expecting(target, matching_versions(header)))
        return None

    @app.teardown_request
    def forget_if_match(_: BaseException | None) -> None:
        stack = g.pop("regimen_preconditions", None)
        if stack is not None:
            stack.close()

    @app.errorhandler(PreconditionFailed)
    def precondition_failed(error: PreconditionFailed) -> Response:
        details = {name: str(value) for name, value in error.details.items()}
        return problem(412, str(error), "precondition-failed", **details)
