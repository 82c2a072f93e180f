"""The HTTP server: the API and the staff pages joined in one Flask app per process."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from flask import Flask

from service.api import docs, register_api
from service.application import Regimen
from service.application.regimen import utc_now
from service.bootstrap import bootstrap
from service.config import Settings, proxy_networks
from service.http import access, metrics
from service.http.proxies import TrustedProxies
from service.web import register_web

LOG = logging.getLogger("regimen.api")


def create_app(
    settings: Settings | None = None,
    *,
    regimen: Regimen | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Flask:
    """Build the Flask app on `bootstrap()`; the application is built here unless one is given."""
    wiring = bootstrap(settings, regimen=regimen, clock=clock)
    settings = wiring.settings
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
        OPENAPI_SWAGGER_UI_URL=docs.ASSETS,
        API_SPEC_OPTIONS={
            "info": {
                "description": "Booking and treatment series for massage and manual-therapy "
                "clinics. Errors are RFC 9457 application/problem+json."
            }
        },
    )
    app.extensions["regimen"] = wiring.regimen
    app.extensions["regimen.reads"] = wiring.reads
    app.extensions["regimen.clock"] = wiring.clock
    app.extensions["regimen.settings"] = settings
    app.extensions["regimen.link_key"] = lambda: wiring.link_key  # read on the first link

    access.install(app)  # first: every request gets its id, its log line and its count
    metrics.install(app)
    register_api(app)  # the HTTP API under /api/v1 and its documents
    register_web(app, settings)  # the front desk's page at /
    # Outermost: the client's address is known before any part of the app reads it.
    app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]
        app.wsgi_app, proxy_networks(settings.forwarded_allow_ips)
    )
    return app
