"""The record's procedure codes: minutes per code for the standard codes and those the
plan's payer lists fees for (the clinic's own), a few free rows for any other code, first
filled in from the codes the techniques usually bill (service/domain/procedure_codes.py).
After saving, the record shows the units each code billed under the payer's rule."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from service.application import Regimen
from service.application.billing import payer_of, unit_rule
from service.domain.billing_units import ProcedureMinutes, UnitRule
from service.domain.plan import TreatmentPlan
from service.domain.procedure_codes import STANDARD_CODES, suggested_minutes
from service.domain.rules import MAX_SESSION_MINUTES
from service.domain.values import Performance, Session
from service.domain.visit import VISIT_UNIT_RULE
from service.web.forms import Form, FormErrors

OTHER_ROWS = 2  # empty rows for a code not offered
RULES = {
    UnitRule.CMS_8_MINUTE: "the 8-minute rule (all timed minutes of the visit added up)",
    UnitRule.PER_CODE_8_MINUTE: "the per-code 8-minute rule (each code from 8 minutes on)",
}
Pairs = list[tuple[str, str]]  # (code, minutes) as entered, to show again


def code_options(app: Regimen, plan: TreatmentPlan | None) -> list[tuple[str, str]]:
    """The codes offered, with their names: the standard ones, then the plan's payer's own."""
    payer = payer_of(app, plan.authorization) if plan else None
    if payer is None:
        return list(STANDARD_CODES)
    standard = [code for code, _ in STANDARD_CODES]
    own = [(f.code, "the clinic’s code") for f in payer.terms.fees if f.code not in standard]
    return [*STANDARD_CODES, *own]


def billing_rule(app: Regimen, plan: TreatmentPlan | None) -> str:
    """Under which rule the record's codes bill units, in words."""
    if plan is None:
        return RULES[VISIT_UNIT_RULE]
    payer = payer_of(app, plan.authorization)
    rule = RULES[unit_rule(app, plan)]
    return f"{payer.name}’s rule, {rule}" if payer else f"{rule}; the plan names no payer"


def units_authorized(plan: TreatmentPlan | None) -> dict[str, Any]:
    """Whether the plan's authorization counts units, and how many it has left, in words."""
    left = plan.authorized_units_left if plan else None
    if plan is None or left is None:
        return {"counts_units": False, "units_left": ""}
    return {
        "counts_units": True,
        "units_left": f"The authorization has {left} units left beyond those booked; "
        "codes billing more than the session was booked for need a reason.",
    }


def procedure_pairs(plan: TreatmentPlan | None, session: Session) -> Pairs:
    """The codes as first shown: those recorded, or those the plan's modalities suggest for
    the session's length."""
    done: Performance | None = session.performance
    if done is not None:
        chosen = done.procedures
    else:
        chosen = suggested_minutes(plan.modalities if plan else (), session.time.minutes)
    return [(p.code, str(p.minutes)) for p in chosen]


def procedure_rows(options: list[tuple[str, str]], pairs: Pairs) -> dict[str, Any]:
    """The offered codes with the minutes entered, and the other codes' rows."""
    entered = dict(pairs)
    offered = {code for code, _ in options}
    others = [(c, m) for c, m in pairs if c not in offered]
    return {
        "offered": [(code, name, entered.get(code, "")) for code, name in options],
        "others": others + [("", "")] * OTHER_ROWS,
    }


def read_procedures(
    data: MultiDict[str, str], errors: FormErrors
) -> tuple[Pairs, tuple[ProcedureMinutes, ...]]:
    """Minutes per code as entered (to show again) and as values; a row without minutes is a
    code not performed, a problem is kept under `procedures`."""
    pairs: Pairs = []
    found: list[ProcedureMinutes] = []
    rows = zip(data.getlist("proc_code"), data.getlist("proc_minutes"), strict=False)
    for code, minutes in ((c.strip(), m.strip()) for c, m in rows):
        if code or minutes:
            pairs.append((code, minutes))
        if not minutes:
            continue
        form = Form({"code": code, "minutes": minutes})
        form.text("code", required=True, max_length=20)
        number = form.number("minutes", 1, MAX_SESSION_MINUTES, 0)
        if form.errors:
            errors.setdefault(
                "procedures",
                f"{code or 'A row'}: give the code and 1–{MAX_SESSION_MINUTES} minutes.",
            )
        elif any(p.code == code for p in found):
            errors.setdefault("procedures", f"{code} is named twice: give its minutes once.")
        else:
            found.append(ProcedureMinutes(code, number))
    return pairs, tuple(found)
