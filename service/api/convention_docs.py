"""The OpenAPI document of the shared conventions: headers, and every error each operation gives.

An apispec plugin completes each operation as flask-smorest registers it, so no
view repeats it: Idempotency-Key on POSTs, If-Match and 412 on writes to one
resource, the ETag header on single-resource reads, the RFC 9457 problems any
API operation can answer (400 malformed body, 404, 409, 413, 422), and an
operationId named after the blueprint, the method and the view (`plans.postAgree`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec import BasePlugin
from flask_smorest import Api

from service.api.auth import PROBLEM_REF
from service.api.resources import WRITES, Resources

PROBLEM_JSON = "application/problem+json"
ENTITY_TAG = r'(W/)?"[!#-~\u0080-\u00ff]*"'
ETAG_HEADER = {
    "description": 'The resource\'s version, e.g. "3": send it back in If-Match to change it',
    "schema": {"type": "string"},
    "required": True,
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag you last read (e.g. "3"); if the resource has changed since, '
    "nothing is written and the answer is 412. Without it the write is unconditional.",
    # No example: the interactive docs would send it, and a write to any resource not at
    # that version would fail with 412 (the description says what a value looks like).
    "schema": {
        "type": "string",
        # The entity-tags of RFC 9110, as service.api.conventions reads them.
        "pattern": rf"^[ \t]*(\*|(,[ \t]*)*{ENTITY_TAG}([ \t]*,([ \t]*{ENTITY_TAG})?)*)[ \t]*$",
    },
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A unique key per command, e.g. a UUID. A retry with the same key and "
    "body (by the same user, within 24 hours) replays the first answer, marked "
    "Idempotent-Replayed: true, and writes nothing; the same key with another body is "
    "a 422; a retry while the first still runs is a 409.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": "^[ -~]*[!-~][ -~]*$",
    },
}


def problem_response(description: str) -> dict[str, Any]:
    """An RFC 9457 problem response, as documented."""
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }


def register(api: Api, resources: Resources) -> None:
    """Document the conventions on every operation registered from now on."""
    plugin = ConventionsPlugin(resources)
    plugin.init_spec(api.spec)
    api.spec.plugins.append(plugin)


class ConventionsPlugin(BasePlugin):
    """Complete each API operation with the conventions' headers and error responses."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def operation_helper(
        self, path: str | None = None, operations: dict[Any, Any] | None = None, **kwargs: Any
    ) -> None:
        """Add headers, problem responses and an operationId to each operation of a path."""
        rule = kwargs.get("rule")
        for method, operation in (operations or {}).items():
            if rule is not None:
                operation.setdefault("operationId", operation_id(rule.endpoint, method))
            if path and path.startswith(self.resources.prefix):
                self.document(path, method.upper(), operation)
            problems_as_problem_json(operation)

    def document(self, path: str, method: str, operation: dict[str, Any]) -> None:
        """Complete one operation; what a view documents itself is kept."""
        headers: list[dict[str, Any]] = []
        problems = {"404": "Not found: an unknown id, or the clinic is not set up yet"}
        if "requestBody" in operation:
            problems["400"] = "The body is not valid JSON (UTF-8)"
            problems["413"] = "The body is over the size limit (REGIMEN_MAX_BODY_BYTES, "
            problems["413"] += "256 KiB by default)"
            problems["422"] = "Some fields are invalid: see errors"
        if method in WRITES:
            problems["409"] = "A conflict with the clinic's rules or the calendar, or a "
            problems["409"] += "change made at the same moment (then retry)"
            problems["422"] = "Some fields are invalid (see errors), or a value breaks a rule"
        if method == "POST":
            headers.append(IDEMPOTENCY_KEY)
            problems["400"] = "The body is not valid JSON, or the Idempotency-Key is malformed"
            problems["409"] += "; or a request with the same Idempotency-Key is still running"
            problems["422"] += "; or the Idempotency-Key was used for another request"
        if self.resources.is_versioned_write(method, path):
            headers.append(IF_MATCH)
            problems["412"] = "If-Match names a version the resource is no longer at: "
            problems["412"] += "nothing was written; read it again"
            problems["400"] = problems.get("400", "The body is not valid JSON") + (
                "; or If-Match is not a list of ETags"
            )
        if any(p.get("name") == "cursor" for p in operation.get("parameters", [])):
            problems["400"] = "The cursor is not one this service gave out for this list"
        responses = {str(status): r for status, r in operation.get("responses", {}).items()}
        for status, description in problems.items():
            if not isinstance(responses.get(status), dict):  # absent, or flask-smorest's default
                responses[status] = problem_response(description)
        if method == "GET" and self.resources.is_single_resource(path) and "200" in responses:
            responses["200"].setdefault("headers", {}).setdefault("ETag", ETAG_HEADER)
        operation["responses"] = responses
        parameters = operation.setdefault("parameters", [])
        named = {p.get("name") for p in parameters if isinstance(p, dict)}
        parameters.extend(h for h in headers if h["name"] not in named)


def operation_id(endpoint: str, method: str) -> str:
    """A stable, unique and readable id from the view's endpoint: `setup.TherapistView`,
    GET -> `setup.getTherapist` (an endpoint is unique, and so is each method of it)."""
    blueprint, _, view = endpoint.rpartition(".")
    name = view.removesuffix("View")
    name = name[:1].upper() + name[1:]
    return f"{blueprint}.{method.lower()}{name}" if blueprint else f"{method.lower()}{name}"


def problems_as_problem_json(operation: dict[str, Any]) -> None:
    """Document every error response as the problem+json the app answers (never plain JSON)."""
    responses = {str(status): r for status, r in operation.get("responses", {}).items()}
    for status, response in responses.items():
        if not status.isdigit() or int(status) < 400:
            continue
        if isinstance(response, str):  # a flask-smorest default, e.g. UNPROCESSABLE_ENTITY
            responses[status] = problem_response(HTTPStatus(int(status)).phrase)
        else:  # every error goes through service.api.problems, whatever a view declared
            responses[status] = problem_response(response.get("description", ""))
    operation["responses"] = dict(sorted(responses.items()))
