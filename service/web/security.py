"""Sign-in state, CSRF tokens, cookie flags and security headers of the web page."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from uuid import UUID

from flask import Flask, Response, current_app, g, redirect, request, session, url_for

from service.adapters.browser_sessions import ABSOLUTE_LIMIT, BrowserSessions
from service.application.accounts import Account
from service.domain.users import User
from service.domain.values import Role
from service.http.context import is_htmx, now, page, regimen
from service.web.session_cookies import SESSIONS, SessionCookies, SignedInSession, browser_sessions

F = TypeVar("F", bound=Callable[..., Any])
DESK_ROLES = (Role.FRONT_DESK, Role.ADMIN, Role.THERAPIST)
AUDIT_ROLES = (Role.AUDITOR, Role.ADMIN)
BILLING_ROLES = (
    Role.FRONT_DESK,
    Role.ADMIN,
)  # who bills: superbills, the authorization report  # who opens the audit workspace (read-only)
WEB_ROLES = (*DESK_ROLES, Role.AUDITOR)  # every staff role signs in to the pages
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Sent by requests the page makes by itself (the calendar's poll): they do not count as
# the user being active, so a page left open still signs out after the idle limit.
BACKGROUND_HEADER = "X-Regimen-Background"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline';"
    " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
    " base-uri 'none'; object-src 'none'"
)


def configure_sessions(app: Flask, secret_key: str) -> None:
    """HttpOnly, SameSite=Lax session cookies signed with the key, for sessions kept in
    the event store's database (see service/browser_sessions.py)."""
    app.secret_key = secret_key
    app.session_interface = SessionCookies()
    app.extensions[SESSIONS] = BrowserSessions.of(app.extensions["regimen"])
    app.config.update(
        SESSION_COOKIE_NAME="regimen_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=ABSOLUTE_LIMIT,
    )


def is_background_request() -> bool:
    """Whether the page sent this request by itself (a poll), not the user."""
    return request.headers.get(BACKGROUND_HEADER) == "poll"


def csrf_token() -> str:
    """This browser session's CSRF token, made on first use."""
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_failure() -> tuple[str, int] | None:
    """None if the POST carries this session's token; else the page explaining it."""
    if request.method in SAFE_METHODS:
        return None
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf")
    if isinstance(expected, str) and expected and secrets.compare_digest(sent, expected):
        return None
    return page(
        "message.html",
        400,
        title="The form has expired",
        message="This form was opened in an earlier sign-in, or it did not come from this "
        "page. Go back, reload the page and try again.",
    )


def sign_in(account: Account) -> None:
    """Start a fresh session for the account (a new CSRF token too)."""
    session.clear()
    session.permanent = True
    session["user_id"] = str(account.user_id)
    csrf_token()


def signed_in_account() -> Account | None:
    """The account of this browser session, unless it was revoked (or is not staff).

    A request the user made (not the page's poll) counts as activity for the idle limit.
    """
    user_id = session.get("user_id")
    if not isinstance(user_id, str):
        return None
    try:
        user = regimen().find(User, UUID(user_id))
    except ValueError:
        return None
    if user is None or user.revoked or user.role not in WEB_ROLES:
        return None
    if isinstance(session, SignedInSession) and not is_background_request():
        browser_sessions(current_app).touch(session.session_id, session.found, now())
    return Account(
        user_id=user.id,
        name=user.name,
        role=user.role,
        revoked=user.revoked,
        therapist_id=user.therapist_id,
    )


def current_account() -> Account:
    """The account signed in for this request (set by `signed_in`)."""
    return cast(Account, g.account)


def signed_in(view: F) -> F:
    """Let the view run only in a signed-in desk session (front desk, admin, therapist);
    otherwise go to the sign-in page. Auditors are refused: their pages are read-only."""
    return _signed_in_as(DESK_ROLES, AUDITORS_ONLY_READ)(view)


def billing_page(view: F) -> F:
    """Let the view run only for a signed-in front desk or admin (superbills, the
    authorization report: billing is the desk's job)."""
    return _signed_in_as(BILLING_ROLES, BILLING_IS_THE_DESKS)(view)


def audit_page(view: F) -> F:
    """Let the view run only for a signed-in auditor or admin (the audit workspace)."""
    return _signed_in_as(AUDIT_ROLES, AUDIT_IS_FOR_AUDITORS)(view)


AUDITORS_ONLY_READ = (
    "This page is the front desk's or the therapist's",
    "An auditor reads the clinic's records in the audit workspace; nothing is changed "
    "from an auditor's session.",
)
BILLING_IS_THE_DESKS = (
    "This page is the front desk's",
    "Superbills and the authorization report open to the front desk and administrators.",
)
AUDIT_IS_FOR_AUDITORS = (
    "This page is the auditor's",
    "The audit workspace opens to auditors and administrators.",
)


def _signed_in_as(roles: tuple[Role, ...], refusal: tuple[str, str]) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            account = signed_in_account()
            if account is None:
                session.pop("user_id", None)
                target = url_for("web.home")
                if is_htmx():
                    return Response(status=204, headers={"HX-Redirect": target})
                return redirect(target)
            g.account = account
            if account.role not in roles:
                title, message = refusal
                return page("message.html", 403, title=title, message=message)
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


def secure_headers(response: Response) -> Response:
    """No framing, no sniffing, no caching of pages holding clients' details."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
