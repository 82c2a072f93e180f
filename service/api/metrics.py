"""`/metrics`: Prometheus's text format, for a bearer token of its own (REGIMEN_METRICS_TOKEN),
never a staff token; unset, the route answers 404 as if it did not exist."""

from __future__ import annotations

import hmac
from typing import Any, cast

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.problems import problem
from service.config import Settings
from service.http.metrics import CONTENT_TYPE, exposition

blp = Blueprint("metrics", __name__, description="Metrics for Prometheus")
RESPONSES = {
    "200": {
        "description": "Requests by route template and status, bookings and conflicts, the"
        " event store's position, each view's lag and fault, reminders by status and the"
        " age of the oldest due one (every gunicorn worker's counts summed)",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
    "401": {"description": "No metrics token, or not REGIMEN_METRICS_TOKEN"},
    "404": {"description": "REGIMEN_METRICS_TOKEN is not set: metrics are off"},
}


def refusal() -> Response | None:
    """404 while metrics are off, 401 without the metrics token, None with it."""
    token = cast(Settings, current_app.extensions["regimen.settings"]).metrics_token
    if not token:
        return problem(404, "metrics are off: set REGIMEN_METRICS_TOKEN to turn them on")
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode()):
        return None
    response = problem(401, "send the metrics token: Authorization: Bearer <REGIMEN_METRICS_TOKEN>")
    response.headers["WWW-Authenticate"] = 'Bearer realm="regimen-metrics"'
    return response


@blp.route("/metrics")
class MetricsView(MethodView):
    """Prometheus scrapes this."""

    @blp.doc(responses=RESPONSES, security=[{"metricsToken": []}])
    def get(self) -> Any:
        """Every metric, in Prometheus's text format (version 0.0.4)"""
        refused = refusal()
        if refused is not None:
            return refused
        return Response(exposition(), status=200, content_type=CONTENT_TYPE)
