"""The therapist's pages: only a signed-in therapist opens them, and only for charts in
their scope (the same rule the API applies; see service/http/chart_scope.py).

The front desk never reaches a page guarded here, so assessments, notes and
evaluations written by therapists never reach a desk browser.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from uuid import UUID

from service.domain.access import ChartAccess, ChartUse
from service.domain.values import Role
from service.http.chart_scope import UNLINKED, access_to
from service.http.context import page, regimen
from service.web.security import current_account, signed_in

F = TypeVar("F", bound=Callable[..., Any])

NOT_YOURS = (
    "This client is treated by another therapist. Their chart opens to you only if the "
    "clinic opens every chart to every therapist."
)


def therapist_page(view: F) -> F:
    """Let the view run only for a signed-in therapist linked to a therapist record."""

    @signed_in
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        account = current_account()
        if account.role is not Role.THERAPIST:
            return page(
                "message.html",
                403,
                title="This page is the therapist's",
                message="Clinical records are written and read by therapists; "
                "the front desk's pages show the calendar and the clients.",
            )
        if account.therapist_id is None:
            return page("message.html", 403, title="Not linked", message=UNLINKED)
        return view(*args, **kwargs)

    return cast(F, guarded)


def therapist_chart(use: ChartUse) -> Callable[[F], F]:
    """A therapist's page on one plan or visit (`plan_id` or `visit_id` in the route): only
    for a therapist who may read (or change) that chart, as the API's `chart` scopes."""

    def decorate(view: F) -> F:
        @therapist_page
        @wraps(view)
        def scoped(*args: Any, **kwargs: Any) -> Any:
            refusal = chart_refusal(kwargs.get("plan_id") or kwargs["visit_id"], use)
            return refusal if refusal is not None else view(*args, **kwargs)

        return cast(F, scoped)

    return decorate


def my_therapist_id() -> UUID:
    """The therapist record of the therapist signed in (a `therapist_page` guarantees one)."""
    therapist_id = current_account().therapist_id
    assert therapist_id is not None  # therapist_page refuses unlinked users
    return therapist_id


def chart_refusal(record_id: UUID, use: ChartUse) -> tuple[str, int] | None:
    """None if the therapist signed in may use the chart of this plan or visit; else the page
    saying why not (no reason form on the pages: breaking the glass is for the API)."""
    access = access_to(my_therapist_id(), regimen().chart_of(record_id), use)
    if access is ChartAccess.ALLOWED:
        return None
    return page("message.html", 403, title="Not your client's chart", message=NOT_YOURS)
