"""Which clients' charts a therapist may read or change: the one scope check of the API.

A therapist user is linked to their therapist record. They read and change the
clinical records of the clients they treat (a plan of theirs, a session booked
with them); the clinic can open every chart to every therapist. Reading another
therapist's client needs a stated reason in `X-Access-Reason` ("break the glass"),
which the access log keeps; changing another therapist's plan is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from uuid import UUID

from flask import g, request

from service.api.auth import current_account, problem_response
from service.api.context import regimen
from service.domain.access import ChartAccess, ChartUse
from service.domain.errors import AccessDenied, InvalidValue
from service.domain.values import Role
from service.http.chart_scope import UNLINKED, access_to, charts_open_to_all

F = TypeVar("F", bound=Callable[..., Any])

READ, CHANGE = ChartUse.READ, ChartUse.CHANGE
REASON_HEADER = "X-Access-Reason"
MAX_REASON = 500
REASON_TEXT = re.compile(r"[ -~]*")  # a header is ASCII: anything else arrives garbled
REFUSALS = {
    ChartAccess.UNLINKED: UNLINKED,
    ChartAccess.NEEDS_REASON: "this client is treated by another therapist: to read the chart "
    f"anyway, say why in the {REASON_HEADER} header (the read and the reason are logged)",
    ChartAccess.REFUSED: "this client is treated by another therapist: only they change the "
    "chart (unless the clinic opens every chart to every therapist)",
}


def access_reason() -> str:
    """The reason the request states for reading outside the reader's clients."""
    reason = request.headers.get(REASON_HEADER, "")
    if len(reason) > MAX_REASON or not REASON_TEXT.fullmatch(reason):
        raise InvalidValue(
            f"{REASON_HEADER} must be printable ASCII text of at most {MAX_REASON} characters"
        )
    return reason.strip()


def require_chart(aggregate_id: UUID, use: ChartUse) -> None:
    """Let a therapist on only if the chart of the plan's (or the visit's) client is in
    their scope, or they read it for a stated reason."""
    reason = access_reason() if use is READ else ""  # checked whoever sends it, as documented
    account = current_account()
    if account.role is not Role.THERAPIST:
        return
    access = access_to(account.therapist_id, regimen().chart_of(aggregate_id), use, reason)
    if access in REFUSALS:
        raise AccessDenied(REFUSALS[access])
    if access is ChartAccess.BREAK_GLASS:
        g.access_reason = reason


def chart_use(view: Any) -> ChartUse | None:
    """What a view guarded by `chart` does with the chart, or None for an unscoped view."""
    return cast(ChartUse | None, getattr(view, "_regimen_chart", None))


def proposing_therapist(asked: UUID | None) -> UUID:
    """The therapist a plan is proposed for: the proposer, or a colleague if charts are open."""
    account = current_account()
    mine = account.therapist_id
    if mine is None:
        raise AccessDenied(UNLINKED)
    if asked is None or asked == mine:
        return mine
    if not charts_open_to_all():
        raise AccessDenied("a therapist proposes plans for themselves (therapist_id is theirs)")
    return asked


def chart(use: ChartUse) -> Callable[[F], F]:
    """Scope a view on one plan or visit to the therapists who may read (or change) its chart."""

    def decorate(view: F) -> F:
        @wraps(view)
        def scoped(*args: Any, **kwargs: Any) -> Any:
            require_chart(kwargs.get("plan_id") or kwargs["visit_id"], use)
            return view(*args, **kwargs)

        vars(scoped)["_regimen_chart"] = use
        if use is READ:
            # Beside the arguments' own parameters: a manual doc would replace that list.
            apidoc = scoped.__dict__.setdefault("_apidoc", {})
            apidoc.setdefault("arguments", {}).setdefault("parameters", []).append(REASON_PARAMETER)
            responses = apidoc.setdefault("manual_doc", {}).setdefault("responses", {})
            responses["422"] = problem_response(f"{REASON_HEADER} is not printable ASCII text")
        return cast(F, scoped)

    return decorate


REASON_PARAMETER = {
    "in": "header",
    "name": REASON_HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": MAX_REASON, "pattern": f"^{REASON_TEXT.pattern}$"},
    "description": "A therapist reading the chart of a client they do not treat says why "
    "(break the glass); the read and the reason are recorded in the access log",
}
