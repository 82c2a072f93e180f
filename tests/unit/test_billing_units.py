"""Timed codes in 15-minute units: Medicare's 8-minute rule and the per-code rule, with the
worked examples payers publish."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.billing_units import (
    EXERCISE,
    MANUAL_THERAPY,
    MASSAGE,
    ProcedureMinutes,
    UnitRule,
    check_procedures,
    units,
    units_for,
)
from service.domain.errors import InvalidValue

CMS, PER_CODE = UnitRule.CMS_8_MINUTE, UnitRule.PER_CODE_8_MINUTE


def record(**minutes: int) -> tuple[ProcedureMinutes, ...]:
    codes = {"exercise": EXERCISE, "manual": MANUAL_THERAPY, "massage": MASSAGE}
    return tuple(ProcedureMinutes(codes[name], m) for name, m in minutes.items())


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4), (67, 4), (68, 5)],
)
def test_the_eight_minute_table(minutes: int, expected: int) -> None:
    assert units_for(minutes) == expected


def test_33_minutes_of_exercise_and_7_of_manual_therapy_bill_2_and_1_under_cms() -> None:
    assert units(record(exercise=33, manual=7), CMS) == {EXERCISE: 2, MANUAL_THERAPY: 1}


def test_the_same_bill_2_and_none_under_the_per_code_rule() -> None:
    assert units(record(exercise=33, manual=7), PER_CODE) == {EXERCISE: 2, MANUAL_THERAPY: 0}


@pytest.mark.parametrize("rule", [CMS, PER_CODE])
def test_seven_minutes_alone_bill_nothing(rule: UnitRule) -> None:
    assert units(record(massage=7), rule) == {MASSAGE: 0}


def test_sixty_minutes_of_massage_bill_four_units() -> None:
    assert units(record(massage=60), CMS) == units(record(massage=60), PER_CODE) == {MASSAGE: 4}


def test_two_codes_under_eight_minutes_each_bill_one_unit_together_under_cms() -> None:
    # 5 + 5 = 10 timed minutes: one unit, to the code with more minutes (the first on a tie).
    assert units(record(massage=5, manual=6), CMS) == {MASSAGE: 0, MANUAL_THERAPY: 1}
    assert units(record(massage=5, manual=5), CMS) == {MASSAGE: 1, MANUAL_THERAPY: 0}


@given(st.lists(st.integers(1, 120), min_size=1, max_size=4))
def test_cms_bills_the_total_table_and_never_takes_a_whole_unit_away(minutes: list[int]) -> None:
    procedures = tuple(ProcedureMinutes(f"9{n:04d}", m) for n, m in enumerate(minutes))
    billed = units(procedures, CMS)
    assert sum(billed.values()) == units_for(sum(minutes))
    for p in procedures:
        assert p.minutes // 15 <= billed[p.code] <= p.minutes // 15 + 1


def test_a_code_named_twice_or_without_minutes_is_refused() -> None:
    with pytest.raises(InvalidValue, match="twice"):
        check_procedures(record(massage=30) + record(massage=10))
    with pytest.raises(InvalidValue):
        check_procedures((ProcedureMinutes(MASSAGE, 0),))
