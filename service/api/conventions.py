"""HTTP conventions every endpoint shares, installed once as request hooks, not per view.

- `If-Match` on a write to one resource (a plan and its sessions, a client, a
  therapist, a room, the clinic) names the versions the client last read; the
  command fails with 412 if it would decide on another (see service.preconditions).
- `Idempotency-Key` on a POST: a retry with the same key and request replays the
  first answer and writes nothing (see idempotent.py).
- Both, and every error each operation can answer, are documented (convention_docs.py).
"""

from __future__ import annotations

import re
from contextlib import ExitStack

from flask import Flask, Response, g, request
from flask_smorest import Api

from service.api import convention_docs, idempotent
from service.api.problems import problem
from service.api.resources import WRITES, Resources
from service.preconditions import PreconditionFailed, expecting

VERSION_TAG = re.compile(r"[0-9]{1,18}")  # what etag(version) makes; anything else never matches


def install(app: Flask, api: Api, prefix: str) -> None:
    """Install the conventions' hooks and their documentation (call before any blueprint)."""
    resources = Resources(prefix)
    app.extensions["regimen.resources"] = resources
    convention_docs.register(api, resources)
    idempotent.install(app, prefix)

    @app.before_request
    def expect_if_match() -> None:
        """Let the command run only on a version of its aggregate that If-Match names."""
        rule = request.url_rule
        if rule is None or request.method not in WRITES or not request.if_match:
            return
        target = resources.target(rule.rule, request.view_args or {})
        if target is None or request.if_match.star_tag:
            return  # a collection, or "*": any current version will do
        versions = {int(tag) for tag in request.if_match.as_set() if VERSION_TAG.fullmatch(tag)}
        g.regimen_preconditions = stack = ExitStack()
        stack.enter_context(expecting(target, versions))

    @app.teardown_request
    def forget_if_match(_: BaseException | None) -> None:
        stack = g.pop("regimen_preconditions", None)
        if stack is not None:
            stack.close()

    @app.errorhandler(PreconditionFailed)
    def precondition_failed(error: PreconditionFailed) -> Response:
        details = {name: str(value) for name, value in error.details.items()}
        return problem(412, str(error), "precondition-failed", **details)
