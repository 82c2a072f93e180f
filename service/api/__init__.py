"""The HTTP API: an app factory over one Regimen application per process."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from flask import Flask

from service.api import (
    audit,
    clients,
    conventions,
    field_docs,
    health,
    plans,
    series,
    sessions,
    setup,
    views,
)
from service.api.feeds import blp as feed_blueprint
from service.api.problems import ProblemApi, register_problem_handlers
from service.api.reminders import blp as reminder_blueprint
from service.application import Regimen, utc_now
from service.config import Settings
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.web import register_web

API_PREFIX = "/api/v1"
LOG = logging.getLogger("regimen.api")


def build_regimen(settings: Settings) -> Regimen:
    """The eventsourcing application on the configured database (build it after any fork)."""
    return Regimen(env=settings.eventsourcing_env())


def create_app(
    settings: Settings | None = None,
    *,
    regimen: Regimen | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Flask:
    """Build the Flask app; the application is built here unless one is given."""
    settings = settings or Settings.from_env()
    if not settings.public_url:
        LOG.warning(
            "REGIMEN_PUBLIC_URL is not set: links handed out (calendar feeds) use the address"
            " each request claims in its Host header; set it to the public address"
        )
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE="Regimen",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="api/v1/openapi.json",
        OPENAPI_SWAGGER_UI_PATH="api/docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
        API_SPEC_OPTIONS={
            "info": {
                "description": "Booking and treatment series for massage and manual-therapy "
                "clinics. Errors are RFC 9457 application/problem+json."
            }
        },
    )
    app.extensions["regimen"] = regimen = regimen or build_regimen(settings)
    app.extensions["regimen.reads"] = ReadModel(Projector(regimen))
    app.extensions["regimen.clock"] = clock
    app.extensions["regimen.settings"] = settings

    api = ProblemApi(app)
    app.extensions["regimen.api"] = api
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    field_docs.install(api)  # the text every body may hold; nullable objects
    conventions.install(app, api, API_PREFIX)  # If-Match, Idempotency-Key, their docs
    api.register_blueprint(health.blp)
    api.register_blueprint(feed_blueprint)  # public: the token in the path is the secret
    for module in (setup, clients, plans, sessions, series, views, audit):
        api.register_blueprint(module.blp, url_prefix=API_PREFIX)
    api.register_blueprint(reminder_blueprint, url_prefix=API_PREFIX)
    register_problem_handlers(app)
    register_web(app, settings)  # the front desk's page at /
    return app
