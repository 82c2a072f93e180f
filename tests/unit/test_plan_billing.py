"""A performed session's procedure codes, and the units they bill under the payer's rule."""

from __future__ import annotations

import pytest

from service.domain.billing_units import ProcedureMinutes, ProcedureUnits, UnitRule
from service.domain.errors import InvalidValue
from tests.plans import LATER, THERAPIST, booked_plan, performance

CODED = (ProcedureMinutes("97110", 33), ProcedureMinutes("97140", 7))


def test_a_session_performed_under_the_cms_rule_bills_the_leftover_to_the_larger_code() -> None:
    plan = booked_plan()

    plan.perform_session(1, performance=performance(procedures=CODED), actor=THERAPIST, now=LATER)

    assert plan.session(1).billed == (
        ProcedureUnits("97110", 33, 2),
        ProcedureUnits("97140", 7, 1),
    )


def test_a_session_performed_under_the_per_code_rule_bills_nothing_for_seven_minutes() -> None:
    plan = booked_plan()

    plan.perform_session(
        1,
        performance=performance(procedures=CODED),
        actor=THERAPIST,
        now=LATER,
        rule=UnitRule.PER_CODE_8_MINUTE,
    )

    assert [(b.code, b.units) for b in plan.session(1).billed] == [("97110", 2), ("97140", 0)]


def test_an_amended_record_bills_its_corrected_minutes() -> None:
    plan = booked_plan()
    plan.perform_session(1, performance=performance(procedures=CODED), actor=THERAPIST, now=LATER)

    corrected = performance(procedures=(ProcedureMinutes("97124", 53),))
    plan.amend_session_record(1, corrected, reason="wrong code", actor=THERAPIST, now=LATER)

    assert plan.session(1).billed == (ProcedureUnits("97124", 53, 4),)


@pytest.mark.parametrize(
    ("procedures", "message"),
    [
        ((ProcedureMinutes("97124", 40), ProcedureMinutes("97140", 20)), "more than the 55"),
        ((ProcedureMinutes("97124", 10), ProcedureMinutes("97124", 10)), "named twice"),
        ((ProcedureMinutes("97124", 0),), "minutes of 97124"),
    ],
)
def test_unsound_procedure_minutes_are_refused(
    procedures: tuple[ProcedureMinutes, ...], message: str
) -> None:
    plan = booked_plan()

    with pytest.raises(InvalidValue, match=message):
        plan.perform_session(
            1, performance=performance(procedures=procedures), actor=THERAPIST, now=LATER
        )
