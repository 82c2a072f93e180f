"""The progress view: each plan's outcome measures as scored, and the minutes delivered.

One row per plan, session and measure: number 0 is the baseline taken at the assessment,
number n the answers given again when session n was evaluated. Standard instruments
are scored here with the domain's rules (the raw answers are kept beside the score);
range-of-motion findings are measures too, one per joint, movement and side, in degrees.
"""

from __future__ import annotations

import json
from typing import Any

from service.domain.client import Client
from service.domain.measures import MeasureAnswers, score
from service.domain.plan import TreatmentPlan
from service.domain.values import RangeOfMotion
from service.projections.erasure_purge import progress_purged
from service.projections.rows import NewRow, RowChange, Write
from service.projections.view import View, instant, text

BASELINE = 0
ROM = "rom"
PROGRESS_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_measures ("
    " plan_id TEXT NOT NULL, number INTEGER NOT NULL, measure TEXT NOT NULL,"
    " label TEXT NOT NULL, score REAL NOT NULL, scale_max REAL NOT NULL, band TEXT,"
    " answers TEXT NOT NULL, at TEXT NOT NULL,"
    " PRIMARY KEY (plan_id, number, measure, label))",
    "CREATE TABLE IF NOT EXISTS rv_delivered ("
    " plan_id TEXT NOT NULL, number INTEGER NOT NULL, minutes INTEGER NOT NULL,"
    " PRIMARY KEY (plan_id, number))",
)


def _upsert(table: str, key: dict[str, Any], columns: dict[str, Any]) -> list[Write]:
    """Insert the row, or set its columns if it is there (an evaluation given again)."""
    return [NewRow(table, key, columns), RowChange(table, key, columns)]


def _instrument_rows(event: Any, number: int, answers: MeasureAnswers) -> list[Write]:
    scored = score(answers)
    key = {
        "plan_id": text(event.originator_id),
        "number": number,
        "measure": answers.instrument.value,
        "label": "",
    }
    columns = {
        "score": scored.value,
        "scale_max": scored.scale_max,
        "band": scored.band or None,
        "answers": json.dumps({"items": answers.items, "activities": answers.activities}),
        "at": instant(event.timestamp),
    }
    return _upsert("rv_measures", key, columns)


def _motion_rows(event: Any, number: int, finding: RangeOfMotion) -> list[Write]:
    side = getattr(finding, "side", "")  # findings recorded before sides were named have none
    label = f"{finding.joint} {finding.movement}" + (f" ({side})" if side else "")
    key = {"plan_id": text(event.originator_id), "number": number, "measure": ROM, "label": label}
    columns = {
        "score": float(finding.degrees),
        "scale_max": 360.0,
        "band": None,
        "answers": json.dumps({"degrees": finding.degrees}),
        "at": instant(event.timestamp),
    }
    return _upsert("rv_measures", key, columns)


def _measured(event: Any, number: int, taken: Any) -> list[Write]:
    writes: list[Write] = []
    for answers in getattr(taken, "measures", ()):
        writes.extend(_instrument_rows(event, number, answers))
    for finding in taken.range_of_motion:
        writes.extend(_motion_rows(event, number, finding))
    return writes


def _plan_proposed(event: Any, _: int) -> list[Write]:
    return _measured(event, BASELINE, event.assessment)


def _outcome_evaluated(event: Any, _: int) -> list[Write]:
    return _measured(event, event.number, event.evaluation)


def _session_performed(event: Any, _: int) -> list[Write]:
    key = {"plan_id": text(event.originator_id), "number": event.number}
    return _upsert("rv_delivered", key, {"minutes": event.performance.duration_minutes})


PROGRESS = View(
    name="progress",
    tables=PROGRESS_TABLES,
    clear=("DELETE FROM rv_measures", "DELETE FROM rv_delivered"),
    drop=("DROP TABLE IF EXISTS rv_measures", "DROP TABLE IF EXISTS rv_delivered"),
    handlers={
        TreatmentPlan.PlanProposed: _plan_proposed,
        TreatmentPlan.OutcomeEvaluated: _outcome_evaluated,
        TreatmentPlan.SessionPerformed: _session_performed,
        Client.ClientErased: progress_purged,
    },
)
