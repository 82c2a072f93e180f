"""Checks of single values, shared by the aggregates: ranges, required text."""

from __future__ import annotations

import re
from datetime import datetime

from service.domain.billing_units import check_procedures
from service.domain.checks import require_range, require_text
from service.domain.errors import InvalidValue, SessionStateError
from service.domain.measures import check_measures
from service.domain.values import (
    Assessment,
    Evaluation,
    Performance,
    RangeOfMotion,
    Recommendation,
    SeriesSpec,
    SessionTime,
)

MAX_SERIES_SESSIONS = 100
MAX_INTERVAL_DAYS = 365
MIN_SESSION_MINUTES = 15
MAX_SESSION_MINUTES = 240
MAX_DIAGNOSES = 12
ICD10 = re.compile(r"[A-Za-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?")
ROM_SIDES = ("", "left", "right")  # a range-of-motion finding's side; blank for the spine
MIN_YEAR, MAX_YEAR = 2000, 2100  # the years sessions may be booked in


def require_started(time: SessionTime, now: datetime, what: str) -> None:
    """Nothing is recorded (performed, missed, evaluated) before it has started."""
    if now < time.start:
        raise SessionStateError(
            f"{what} has not started yet: it starts {time.local_start:%a %d %b %Y %H:%M}"
            f" ({time.zone}), and nothing is recorded before it has started"
        )


def validate_pain(name: str, value: int) -> None:
    """Pain is on the 0-10 numeric rating scale."""
    require_range(name, value, 0, 10)


def validate_range_of_motion(findings: tuple[RangeOfMotion, ...]) -> None:
    """Each range-of-motion finding names a joint and movement, 0-360 degrees, a side or none."""
    for finding in findings:
        require_text("range_of_motion.joint", finding.joint)
        require_text("range_of_motion.movement", finding.movement)
        require_range("range_of_motion.degrees", finding.degrees, 0, 360)
        if finding.side not in ROM_SIDES:
            raise InvalidValue(
                f"range_of_motion.side must be left, right or blank, not {finding.side!r}"
            )


def validate_assessment(assessment: Assessment) -> None:
    """An assessment names the complaint and scores pain 0-10."""
    require_text("assessment.complaint", assessment.complaint)
    validate_pain("assessment.pain_level", assessment.pain_level)
    validate_range_of_motion(assessment.range_of_motion)
    check_measures(assessment.measures)


def check_diagnosis_codes(codes: tuple[str, ...]) -> None:
    """A prescription names at most 12 diagnoses (a claim form's A-L), each shaped like an
    ICD-10 code (M54.5, S13.4XXA; the dot optional) and named once; kept as entered."""
    if len(codes) > MAX_DIAGNOSES:
        raise InvalidValue(f"a prescription names at most {MAX_DIAGNOSES} diagnosis codes")
    for code in codes:
        if not ICD10.fullmatch(code):
            raise InvalidValue(f"diagnosis code {code!r} is not shaped like an ICD-10 code")
    if len({c.upper().replace(".", "") for c in codes}) != len(codes):
        raise InvalidValue("each diagnosis code is named once")


def validate_series(series: SeriesSpec) -> None:
    """A series is 1-100 sessions, 1-365 days apart, 15-240 minutes long."""
    require_range("series.sessions", series.sessions, 1, MAX_SERIES_SESSIONS)
    require_range("series.interval_days", series.interval_days, 1, MAX_INTERVAL_DAYS)
    require_range(
        "series.session_minutes",
        series.session_minutes,
        MIN_SESSION_MINUTES,
        MAX_SESSION_MINUTES,
    )


def validate_performance(performance: Performance) -> None:
    """A performed session names what was done, how long, and pain before."""
    if not performance.techniques:
        raise InvalidValue("name at least one technique performed")
    require_range("duration_minutes", performance.duration_minutes, 1, MAX_SESSION_MINUTES)
    validate_pain("pain_before", performance.pain_before)
    check_procedures(performance.procedures)
    coded = sum(p.minutes for p in performance.procedures)
    if coded > performance.duration_minutes:
        raise InvalidValue(
            f"the procedure codes name {coded} minutes, more than the "
            f"{performance.duration_minutes} minutes the session lasted"
        )


def validate_evaluation(evaluation: Evaluation) -> None:
    """An evaluation scores pain 0-10 and says the new interval when it changes one."""
    validate_pain("pain_after", evaluation.pain_after)
    validate_range_of_motion(evaluation.range_of_motion)
    check_measures(evaluation.measures)
    if evaluation.client_rating is not None:
        require_range("client_rating", evaluation.client_rating, 0, 10)
    interval = evaluation.recommended_interval_days
    if evaluation.recommendation is Recommendation.CHANGE_INTERVAL and interval is None:
        raise InvalidValue("a change_interval recommendation needs recommended_interval_days")
    if interval is not None:
        require_range("recommended_interval_days", interval, 1, MAX_INTERVAL_DAYS)


def validate_amendment(reason: str, current: object, amended: object) -> None:
    """An amendment says why, and changes something."""
    require_text("reason", reason)
    if amended == current:
        raise InvalidValue("nothing changed: the amendment is the same as what is recorded")
