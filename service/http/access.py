"""One access line per request, and the request's id: taken from `X-Request-ID` when it is
short and safe, made up otherwise, returned in the `X-Request-ID` header and in problem bodies.

The line names the route template (`/feeds/<token>.ics`), never the path or query string
the request carried, and the user by id and role, never by name.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, request

from service.logs import REQUEST_ID, request_id_from

ACCESS = logging.getLogger("regimen.access")
HEADER = "X-Request-ID"


def route_template() -> str:
    """The matched route's template ('-' when no route matched: a 404 or 405)."""
    rule = request.url_rule
    return rule.rule if rule is not None else "-"


def _who() -> tuple[str | None, str | None]:
    account: Any = g.get("account") or g.get("token_account")
    if account is None:
        return None, None
    return str(account.user_id), account.role.value


def install(app: Flask) -> None:
    """Give every request an id and log one line for it (register before other hooks, so a
    hook that answers early, such as a refused token, is still timed and logged)."""

    @app.before_request
    def start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request_id_from(request.headers.get(HEADER))
        REQUEST_ID.set(g.request_id)

    @app.after_request
    def finish(response: Response) -> Response:
        request_id = g.get("request_id") or request_id_from(None)
        response.headers[HEADER] = request_id
        started = g.get("request_started")
        seconds = time.perf_counter() - started if started is not None else 0.0
        user_id, role = _who()
        ACCESS.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "route": route_template(),
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": user_id,
                "role": role,
            },
        )
        metrics = app.extensions.get("regimen.metrics")
        if metrics is not None:
            rule = request.url_rule
            endpoint = rule.endpoint if rule is not None else None
            metrics.observe(
                request.method, route_template(), endpoint, response.status_code, seconds
            )
        return response

    @app.teardown_request
    def forget(error: BaseException | None) -> None:
        REQUEST_ID.set("")  # records logged between requests carry no id
