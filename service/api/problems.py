"""RFC 9457 problem responses for every error, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

import marshmallow as ma
from flask import Flask, Response, json
from flask_smorest import Api
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from service.audit.plain import plain
from service.domain import errors
from service.domain.waitlist import AlreadyWaiting, OfferLapsed, OfferTaken
from service.logs import current_request_id
from service.projections.faults import ViewStuck

PROBLEM_TYPE = "https://regimen.example/problems/"
LOG = logging.getLogger("regimen.api")

DOMAIN_STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (errors.NotFound, 404, "not-found"),
    (errors.InvalidCursor, 400, "invalid-cursor"),
    (errors.InvalidValue, 422, "invalid-value"),
    (errors.SlotTaken, 409, "slot-taken"),
    (OfferLapsed, 410, "offer-lapsed"),
    (OfferTaken, 409, "offer-taken"),
    (errors.ConcurrentChange, 409, "concurrent-change"),
    (errors.LikelyDuplicate, 409, "likely-duplicate"),
    (AlreadyWaiting, 409, "already-waiting"),
    (errors.RetentionHold, 409, "retention-period"),
    (errors.NothingToShred, 409, "no-cipher-key"),
    (errors.RuleViolated, 409, "rule-violated"),
    (errors.AccessDenied, 403, "forbidden"),
    (errors.DomainError, 409, "rule-violated"),
)


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem detail."""

    class Meta:
        unknown = ma.INCLUDE  # RFC 9457 extension members, e.g. a series' conflicts

    type = ma.fields.String(metadata={"description": "URI naming the kind of problem"})
    title = ma.fields.String(metadata={"description": "Short summary of the kind of problem"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong this time"})
    errors = ma.fields.Dict(
        metadata={"description": "Field problems: location -> field -> messages"}
    )
    request_id = ma.fields.String(
        metadata={
            "description": "The request's id, as in the X-Request-ID response header and"
            " the server's log line for it"
        }
    )


def problem(status: int, detail: str, kind: str = "", **extra: Any) -> Response:
    """A problem+json response."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    body = {
        "type": PROBLEM_TYPE + (kind or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def _http_detail(error: HTTPException) -> tuple[str, dict[str, Any]]:
    data = getattr(error, "data", None) or {}
    field_errors = data.get("errors") or data.get("messages")
    if field_errors and error.code == 400:
        return "the body is not valid JSON (UTF-8)", {"errors": field_errors}
    if field_errors:
        return "some fields are invalid: see errors", {"errors": field_errors}
    return data.get("message") or error.description or error.name, {}


class ProblemApi(Api):
    """flask-smorest's Api, answering errors as application/problem+json."""

    ERROR_SCHEMA = ProblemSchema
    # Each operation documents the problems it can answer (service.api.convention_docs).
    DEFAULT_ERROR_RESPONSE_NAME = None

    def handle_http_exception(self, error: HTTPException) -> Response:
        """Turn any HTTP error (including webargs validation) into a problem."""
        detail, extra = _http_detail(error)
        status = error.code or 500
        response = problem(status, detail, **extra)
        for name, value in error.get_headers():  # e.g. Allow on a 405
            if name.lower() != "content-type":
                response.headers[name] = value
        extra_headers = (getattr(error, "data", None) or {}).get("headers") or {}
        for name, value in extra_headers.items():
            response.headers[name] = value
        return response


def register_problem_handlers(app: Flask) -> None:
    """Domain errors map to 404/409/422; anything unexpected to a bare 500."""

    @app.errorhandler(errors.DomainError)
    def domain_error(error: errors.DomainError) -> Response:
        for cls, status, kind in DOMAIN_STATUS:
            if isinstance(error, cls):
                return problem(status, str(error), kind, **plain(error.details))
        return problem(409, str(error), "rule-violated")  # pragma: no cover

    @app.errorhandler(ViewStuck)
    def view_stuck(error: ViewStuck) -> Response:
        fault = error.fault  # logged at ERROR where it was found; this read only refuses
        return problem(503, str(error), "view-stuck", view=fault.view, position=fault.position)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            return app.extensions["regimen.api"].handle_http_exception(error)
        LOG.exception("unexpected error")
        return problem(500, "an unexpected error occurred; it has been logged")
