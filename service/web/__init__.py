"""The front desk's web page: server-rendered, enhanced by htmx (vendored, no build step).

`register_web` adds it to the API's Flask app at `/`: sign-in with a staff token
opening a session kept on the server (see session_cookies.py), CSRF tokens on every
form, the live calendar, clients, series booking with a preview, changes to
single sessions, and visits outside a plan (booked from a free hour of the day view).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g
from jinja2 import ChoiceLoader, PackageLoader
from werkzeug.exceptions import HTTPException

from service.adapters.secret_key import session_secret
from service.config import Settings
from service.domain.errors import DomainError, NotFound
from service.http.context import clinic_zone, page
from service.projections.faults import ViewStuck
from service.web import (
    assess,
    audit_find,
    audit_plan,
    audit_proof,
    audit_versions,
    billing,
    body_chart,  # noqa: F401  registers the body chart's template global
    booking,
    calendar,
    client_chart,
    client_details,
    client_moves,  # noqa: F401  registers the client page's moves
    client_reminders,  # noqa: F401  registers the client page's reminder choices
    clients,
    my_day,
    progress,
    record,
    record_amend,
    sessions,
    signin,
    visit_booking,
    visits,
    waitlist,
    waitlist_claim,
    waitlist_join,
)
from service.web.blueprint import web
from service.web.client_page import client_pages
from service.web.forms import problem_text
from service.web.security import (
    configure_sessions,
    csrf_failure,
    csrf_token,
    secure_headers,
)

__all__ = ["register_web", "web"]
LOG = logging.getLogger("regimen.web")
ROUTE_MODULES = (
    signin,
    calendar,
    clients,
    client_details,
    booking,
    sessions,
    record,
    record_amend,
    visit_booking,
    visits,
    assess,
    progress,
    my_day,
    client_chart,
    audit_find,
    audit_plan,
    audit_versions,
    audit_proof,
    billing,
    waitlist,
    waitlist_claim,
    waitlist_join,
)


def register_web(app: Flask, settings: Settings) -> None:
    """Serve the front desk page from this app, at `/`; the charts it shares with the
    progress report are drawn by the reports' own templates."""
    own = [app.jinja_loader] if app.jinja_loader is not None else []
    app.jinja_loader = ChoiceLoader([*own, PackageLoader("service.reports", "templates")])
    configure_sessions(app, session_secret(settings))
    app.register_blueprint(web)
    app.register_blueprint(client_pages)  # clients' own page, by signed link (no sign-in)


@web.before_request
def _check_csrf() -> tuple[str, int] | None:
    return csrf_failure()


@web.after_request
def _headers(response: Any) -> Any:
    return secure_headers(response)


@web.context_processor
def _page_values() -> dict[str, Any]:
    return {
        "csrf_token": csrf_token,
        "account": g.get("account"),
        "role_name": signin.role_name,
        "clinic_zone": clinic_zone,
        "phone_hint": clients.phone_hint,
    }


@web.errorhandler(DomainError)
def _domain_error(error: DomainError) -> tuple[str, int]:
    status = 404 if isinstance(error, NotFound) else 409
    return page("message.html", status, title="That could not be done", message=problem_text(error))


@web.errorhandler(ViewStuck)
def _view_stuck(error: ViewStuck) -> tuple[str, int]:
    return page(
        "message.html",
        503,
        title="This page cannot be shown just now",
        message=f"The {error.fault.view} records stopped at an entry they cannot show;"
        " the error has been logged for the administrator. Other pages still work.",
    )


@web.errorhandler(Exception)
def _unexpected(error: Exception) -> Any:
    if isinstance(error, HTTPException):
        return page("message.html", error.code or 500, title=error.name, message=error.description)
    LOG.exception("unexpected error on the web page")
    return page(
        "message.html",
        500,
        title="Something went wrong",
        message="The page could not be shown. The error has been logged; please try again.",
    )
