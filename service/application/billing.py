"""What a plan bills under: the terms of the payer its authorization names (plain steps
the use cases that propose plans, perform sessions and book them share)."""

from __future__ import annotations

from datetime import datetime

from service.adapters.store import BaseApplication
from service.domain.billing_units import UnitRule
from service.domain.errors import InvalidValue
from service.domain.payer import Payer
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Authorization, Performance


def payer_of(app: BaseApplication, authorization: Authorization | None) -> Payer | None:
    """The registered payer the authorization names, or None."""
    if authorization is None or authorization.payer_id is None:
        return None
    return app.load(Payer, authorization.payer_id)


def unit_rule(app: BaseApplication, plan: TreatmentPlan) -> UnitRule:
    """The plan's payer's unit rule; Medicare's 8-minute rule when no payer is named,
    the rule most payers follow or start from."""
    payer = payer_of(app, plan.authorization)
    return UnitRule.CMS_8_MINUTE if payer is None else payer.terms.unit_rule


def perform(
    app: BaseApplication,
    plan: TreatmentPlan,
    number: int,
    performance: Performance,
    actor: Actor,
    now: datetime,
    authorization_override: str,
) -> None:
    """Record what was done in a session of the plan, its codes billing units under the
    plan's payer's rule."""
    plan.perform_session(
        number,
        performance=performance,
        actor=actor,
        now=now,
        rule=unit_rule(app, plan),
        authorization_override=authorization_override,
    )


def check_authorization_terms(app: BaseApplication, authorization: Authorization | None) -> None:
    """An authorization gives visits unless its registered payer counts units only, and
    units exactly when its payer counts them (without a registered payer, units are optional)."""
    if authorization is None:
        return
    payer = payer_of(app, authorization)
    if payer is None:
        if authorization.visits is None:
            raise InvalidValue("an authorization without a registered payer gives its visits")
        return
    counts = payer.terms.counts
    if counts.visits and authorization.visits is None:
        raise InvalidValue(f"{payer.name} authorizes visits: give the authorization's visits")
    if not counts.visits and authorization.visits is not None:
        raise InvalidValue(f"{payer.name} authorizes units only: leave the visits out")
    if counts.units and authorization.units is None:
        raise InvalidValue(f"{payer.name} authorizes units: give the authorization's units")
    if not counts.units and authorization.units is not None:
        raise InvalidValue(f"{payer.name} authorizes visits only: leave the units out")


def late_cancel_counts(app: BaseApplication, plan: TreatmentPlan, clinic_counts: bool) -> bool:
    """Whether a late cancel uses up the plan's authorization: its payer's terms say, or
    without a registered payer the clinic's policy."""
    payer = payer_of(app, plan.authorization)
    return clinic_counts if payer is None else payer.terms.late_cancel_counts


def no_show_counts(app: BaseApplication, plan: TreatmentPlan, clinic_counts: bool) -> bool:
    """Whether a no-show uses up the plan's authorization (as late_cancel_counts)."""
    payer = payer_of(app, plan.authorization)
    return clinic_counts if payer is None else payer.terms.no_show_counts
