"""Bearer-token authentication and the role each endpoint needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, g, request

from service.api.problems import problem
from service.application.accounts import Account
from service.domain.values import Actor, Role
from service.http.context import now

F = TypeVar("F", bound=Callable[..., Any])

ADMIN = (Role.ADMIN,)
STAFF = (Role.ADMIN, Role.FRONT_DESK, Role.THERAPIST, Role.AUDITOR)
DESK = (Role.ADMIN, Role.FRONT_DESK, Role.THERAPIST)
CLINICAL = (Role.THERAPIST,)
CLINICAL_READERS = (Role.THERAPIST, Role.AUDITOR, Role.ADMIN)

BEARER: dict[str, list[str]] = {"bearerAuth": []}
PROBLEM_REF = "#/components/schemas/Problem"


class Unauthorized(Exception):
    """No token, or one that is unknown or revoked."""


def current_account() -> Account:
    """The account making this request (set by `roles`)."""
    return cast(Account, g.account)


def current_actor() -> Actor:
    """The actor to record on events caused by this request."""
    return current_account().actor


def sees_clinical_details() -> bool:
    """Whether this request's role may read assessments and session notes."""
    return current_account().role in CLINICAL_READERS


def _authenticate() -> Account | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return current_app.extensions["regimen"].authenticate(token.strip(), now())


def request_account() -> Account | None:
    """The account whose token this request sends, or None (looked up once per request)."""
    if "token_account" not in g:
        g.token_account = _authenticate()
    return cast(Account | None, g.token_account)


def allowed_roles(view: Any) -> tuple[Role, ...] | None:
    """The roles a view guarded by `roles` lets in, or None for a public view."""
    return cast(tuple[Role, ...] | None, getattr(view, "_regimen_roles", None))


def refusal(allowed: tuple[Role, ...]) -> Response | None:
    """The 401 or 403 answer for this request, or None if its token's role is allowed."""
    account = request_account()
    if account is None:
        response = problem(401, "send a valid token: Authorization: Bearer <token>")
        response.headers["WWW-Authenticate"] = 'Bearer realm="regimen"'
        return response
    if account.role not in allowed:
        return problem(
            403,
            f"the {account.role.value} role may not do this; it needs "
            + " or ".join(r.value for r in allowed),
        )
    return None


def install(app: Flask) -> None:
    """Refuse a missing token or a wrong role first, before any other check reads the
    request (a malformed If-Match or Idempotency-Key is nobody's business but a user's)."""

    @app.before_request
    def authenticate_first() -> Response | None:
        rule = request.url_rule
        if rule is None:
            return None
        view = app.view_functions.get(rule.endpoint)
        handler = getattr(getattr(view, "view_class", None), request.method.lower(), view)
        allowed = allowed_roles(handler)
        return None if allowed is None else refusal(allowed)


def roles(*allowed: Role) -> Callable[[F], F]:
    """Let the view run only for a valid token of one of these roles."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            refused = refusal(allowed)
            if refused is not None:
                return refused
            g.account = request_account()
            return view(*args, **kwargs)

        _document(guarded, allowed)
        vars(guarded)["_regimen_roles"] = allowed
        return cast(F, guarded)

    return decorate


def problem_response(description: str) -> dict[str, Any]:
    """The OpenAPI description of a problem+json answer."""
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": PROBLEM_REF}}},
    }


def _document(view: Any, allowed: tuple[Role, ...]) -> None:
    """Add the token requirement, and its 401 and 403 answers, to the OpenAPI document."""
    apidoc = view.__dict__.setdefault("_apidoc", {})
    manual = apidoc.setdefault("manual_doc", {})
    manual["security"] = [BEARER]
    manual.setdefault("responses", {}).update(
        {
            "401": problem_response("No token, or an unknown or revoked one"),
            "403": problem_response(
                "The token's role may not do this (allowed: "
                + ", ".join(r.value for r in allowed)
                + ")"
            ),
        }
    )
