"""Timed procedure codes billed in 15-minute units, under a payer's unit rule.

- `cms-8-minute` (Medicare's 8-minute rule): the timed minutes of all codes of a visit are
  added up; 8-22 minutes bill 1 unit, 23-37 bill 2, 38-52 bill 3, and so on (a unit for
  every 15 minutes, the last one from 8 minutes on). Each code first takes its whole
  15-minute units; the units left go to the codes with the most minutes left over
  (ties: the code with more minutes in all, then the code's order on the record).
- `per-code-8-minute` (the "substantial portion" rule many commercial payers apply):
  each code on its own, from 8 minutes on; a code under 8 minutes bills nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from service.domain.checks import require_range, require_text
from service.domain.errors import InvalidValue

UNIT_MINUTES = 15
SUBSTANTIAL = 8  # the least minutes that bill a unit
# Codes the clinic's modalities usually bill: massage, manual therapy, therapeutic
# exercise, neuromuscular re-education (CPT); clinics add their own.
MASSAGE, MANUAL_THERAPY, EXERCISE, NEUROMUSCULAR = "97124", "97140", "97110", "97112"


class UnitRule(Enum):
    """How a payer turns minutes into units."""

    CMS_8_MINUTE = "cms-8-minute"
    PER_CODE_8_MINUTE = "per-code-8-minute"


@dataclass(frozen=True)
class ProcedureMinutes:
    """Minutes of one procedure code in a session."""

    code: str
    minutes: int


@dataclass(frozen=True)
class ProcedureUnits:
    """A procedure code of a performed session: its minutes and the units they billed."""

    code: str
    minutes: int
    units: int


def check_procedures(procedures: tuple[ProcedureMinutes, ...]) -> None:
    """Raise InvalidValue unless each code is named once, with 1-240 minutes."""
    seen: set[str] = set()
    for procedure in procedures:
        require_text("procedure code", procedure.code)
        require_range(f"minutes of {procedure.code}", procedure.minutes, 1, 240)
        if procedure.code in seen:
            raise InvalidValue(f"procedure code {procedure.code} is named twice")
        seen.add(procedure.code)


def units_for(minutes: int) -> int:
    """The units a number of timed minutes bills: 0 under 8, then one per 15 begun at 8."""
    return (minutes + UNIT_MINUTES - SUBSTANTIAL) // UNIT_MINUTES if minutes >= SUBSTANTIAL else 0


def units(procedures: tuple[ProcedureMinutes, ...], rule: UnitRule) -> dict[str, int]:
    """Units per code under the rule, in the order the codes were recorded."""
    if rule is UnitRule.PER_CODE_8_MINUTE:
        return {p.code: units_for(p.minutes) for p in procedures}
    billed = {p.code: p.minutes // UNIT_MINUTES for p in procedures}
    # Never more than one per code: the leftovers (each under 15) bill at most that.
    left = units_for(sum(p.minutes for p in procedures)) - sum(billed.values())
    order = sorted(
        range(len(procedures)),
        key=lambda i: (
            -(procedures[i].minutes % UNIT_MINUTES),
            -procedures[i].minutes,
            i,
        ),
    )
    for index in order[: max(left, 0)]:
        billed[procedures[index].code] += 1
    return billed


def bill(procedures: tuple[ProcedureMinutes, ...], rule: UnitRule) -> tuple[ProcedureUnits, ...]:
    """Each recorded code with its minutes and the units it bills under the rule."""
    billed = units(procedures, rule)
    return tuple(ProcedureUnits(p.code, p.minutes, billed[p.code]) for p in procedures)
