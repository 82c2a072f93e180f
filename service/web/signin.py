"""Signing in with a staff token, and out again."""

from __future__ import annotations

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from service.domain.values import Role
from service.http.context import page, regimen
from service.web.blueprint import web
from service.web.security import WEB_ROLES, sign_in, signed_in_account


@web.get("/")
def home() -> Response | tuple[str, int]:
    """The sign-in form, or the first page of whoever is already signed in."""
    account = signed_in_account()
    if account is not None:
        return redirect(landing_page(account.role))
    return page("sign_in.html")


@web.post("/sign-in")
def sign_in_with_token() -> Response | tuple[str, int]:
    """Check the token; a desk, admin, therapist or auditor token opens a session."""
    token = (request.form.get("token") or "").strip()
    if not token:
        return page("sign_in.html", 422, error="Paste the token you were given.")
    account = regimen().authenticate(token)
    if account is None:
        return page(
            "sign_in.html",
            401,
            error="That token is not known, or it was revoked. Check it and try again.",
        )
    if account.role not in WEB_ROLES:
        allowed = ", ".join(r.value.replace("_", " ") for r in WEB_ROLES)
        return page(
            "sign_in.html",
            403,
            error=f"This page is for {allowed} staff; a {account.role.value} token cannot use it.",
        )
    sign_in(account)
    return redirect(landing_page(account.role))


@web.post("/sign-out")
def sign_out() -> Response:
    """End the session in this browser."""
    session.clear()
    return redirect(url_for("web.home"))


def landing_page(role: Role) -> str:
    """Where a role starts: a therapist on their day, an auditor in the audit workspace,
    the desk and admins on the calendar."""
    if role is Role.AUDITOR:
        return url_for("web.audit_find")
    return url_for("web.my_day" if role is Role.THERAPIST else "web.calendar")


def role_name(role: Role) -> str:
    """'front desk' for Role.FRONT_DESK."""
    return role.value.replace("_", " ")
