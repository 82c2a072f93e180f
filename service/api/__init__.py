"""The HTTP API under /api/v1: its blueprints, conventions and problem answers on a Flask app."""

from __future__ import annotations

from flask import Flask

from service.api import (
    audit,
    client_links,
    clients,
    clinic_contact,
    conventions,
    docs,
    exports,
    field_docs,
    health,
    metrics,
    notices,
    payers,
    plans,
    reports,
    series,
    sessions,
    setup,
    superbills,
    views,
    visits,
    waitlist,
)
from service.api.feeds import blp as feed_blueprint
from service.api.problems import ProblemApi, register_problem_handlers
from service.api.reminders import blp as reminder_blueprint

API_PREFIX = "/api/v1"


def register_api(app: Flask) -> None:
    """The API's blueprints, its conventions (If-Match, Idempotency-Key) and problem answers."""
    api = ProblemApi(app)
    app.extensions["regimen.api"] = api
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme(
        "metricsToken",
        {"type": "http", "scheme": "bearer", "description": "REGIMEN_METRICS_TOKEN"},
    )
    today = app.extensions["regimen.clock"]().date()
    field_docs.install(api, today)  # the text every body may hold; nullable objects; examples
    conventions.install(app, api, API_PREFIX)  # If-Match, Idempotency-Key, their docs
    api.register_blueprint(health.blp)
    api.register_blueprint(metrics.blp)  # its own token (REGIMEN_METRICS_TOKEN)
    api.register_blueprint(feed_blueprint)  # public: the token in the path is the secret
    for module in (
        setup,
        clinic_contact,
        payers,
        clients,
        client_links,
        exports,
        plans,
        sessions,
        series,
        views,
        reports,
        superbills,
        audit,
        visits,
        notices,
        waitlist,
    ):
        api.register_blueprint(module.blp, url_prefix=API_PREFIX)
    api.register_blueprint(reminder_blueprint, url_prefix=API_PREFIX)
    register_problem_handlers(app)
    app.register_blueprint(docs.blp)  # Swagger UI's own files for /api/docs
