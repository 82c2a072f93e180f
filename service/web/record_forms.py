"""Reading the note form: what was done (S, O) and how it went and what next (A, P), each
problem kept beside its field, the values kept to show again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from service.domain.body_regions import chart_choice
from service.domain.measures import Instrument
from service.domain.rules import MAX_INTERVAL_DAYS, MAX_SESSION_MINUTES, ROM_SIDES
from service.domain.values import (
    Evaluation,
    Mobility,
    Performance,
    RangeOfMotion,
    Recommendation,
    Referral,
)
from service.web.forms import Form, FormErrors
from service.web.measure_fields import entered_from, read_measures, score_lines
from service.web.procedure_fields import read_procedures

MOBILITY = (("better", "Better"), ("same", "The same"), ("worse", "Worse"))
RECOMMENDATIONS = (
    ("continue", "Continue as planned"),
    ("change_interval", "Change the interval between sessions"),
    ("refer", "Refer the client to another professional"),
    ("discharge", "Discharge: the client needs no more sessions"),
)
ROM_COLUMNS = ("joint", "movement", "side", "degrees")
NOTE_FIELDS = ("client_report", "pain_before", "techniques_other", "duration_minutes", "notes")
EVALUATION_FIELDS = (
    "pain_after",
    "mobility",
    "posture",
    "client_rating",
    "evaluation_notes",
    "recommendation",
    "interval_days",
    "referral_profession",
    "referral_name",
    "referral_reason",
)


@dataclass
class Reading:
    """What a form gave: the values to show again, and the problems beside their fields."""

    values: dict[str, Any]
    errors: FormErrors = field(default_factory=FormErrors)


def _required_number(form: Form, name: str, low: int, high: int) -> int | None:
    if not (form.data.get(name) or "").strip():
        form.errors[name] = "Fill this in."
        return None
    number = form.number(name, low, high, low)
    return None if name in form.errors else number


def _optional_number(form: Form, name: str, low: int, high: int) -> int | None:
    if not (form.data.get(name) or "").strip():
        return None
    number = form.number(name, low, high, low)
    return None if name in form.errors else number


def _texts(values: list[str], errors: FormErrors, name: str) -> list[str]:
    """Ticked boxes: each one line of text, none repeated."""
    chosen: list[str] = []
    for value in values:
        check = Form({name: value})
        text = check.text(name)
        if check.errors:
            errors[name] = check.errors[name]
        elif text and text not in chosen:
            chosen.append(text)
    return chosen


def read_note(data: MultiDict[str, str]) -> tuple[Performance | None, Reading]:
    """S and O: what the client reports, pain before, techniques, areas, minutes."""
    form = Form(data)
    report = form.text("client_report", max_length=10000, multiline=True)
    pain_before = _required_number(form, "pain_before", 0, 10)
    ticked = _texts(data.getlist("techniques"), form.errors, "techniques")
    other = form.text("techniques_other", max_length=500)
    techniques = ticked + [t.strip() for t in other.split(",") if t.strip() not in ("", *ticked)]
    areas = list(chart_choice(_texts(data.getlist("areas"), form.errors, "areas")).areas)
    minutes = _required_number(form, "duration_minutes", 1, MAX_SESSION_MINUTES)
    notes = form.text("notes", max_length=10000, multiline=True)
    if not techniques and "techniques" not in form.errors:
        form.errors["techniques"] = "Tick at least one technique, or write one in."
    pairs, procedures = read_procedures(data, form.errors)
    values: dict[str, Any] = {name: data.get(name, "") for name in NOTE_FIELDS}
    values |= {"techniques": ticked, "areas": areas, "procedures": pairs}
    reading = Reading(values, form.errors)
    if form.errors or pain_before is None or minutes is None:
        return None, reading
    performance = Performance(
        techniques=tuple(techniques),
        areas=tuple(areas),
        duration_minutes=minutes,
        pain_before=pain_before,
        notes=notes,
        client_report=report,
        procedures=procedures,
    )
    return performance, reading


def _range_of_motion(
    data: MultiDict[str, str], errors: FormErrors
) -> tuple[list[dict[str, str]], list[RangeOfMotion]]:
    rows: list[dict[str, str]] = []
    found: list[RangeOfMotion] = []
    columns = [data.getlist(f"rom_{k}") for k in ROM_COLUMNS]
    for values in zip(*columns, strict=False):
        row = {k: v.strip() for k, v in zip(ROM_COLUMNS, values, strict=True)}
        side = row.pop("side")
        if not any(row.values()):
            continue  # a side alone is what an empty row's select shows
        rows.append({**row, "side": side})
        form = Form(row)
        form.text("joint", required=True, max_length=100)
        form.text("movement", required=True, max_length=100)
        angle_value = _required_number(form, "degrees", 0, 360)
        if form.errors:
            problems = "; ".join(f"{k}: {v.rstrip('.')}" for k, v in form.errors.items())
            errors.setdefault(
                "range_of_motion",
                f"Row {len(rows)} is incomplete or wrong ({problems}). Give the joint, the "
                "movement and 0–360 degrees, or empty the whole row.",
            )
        elif side not in ROM_SIDES:
            errors.setdefault("range_of_motion", f"Row {len(rows)}: choose left, right or none.")
        elif angle_value is not None:
            found.append(RangeOfMotion(row["joint"], row["movement"], angle_value, side))
    return rows, found


def _referral(form: Form) -> Referral:
    """P: to whom the client is referred, and why."""
    profession = form.text("referral_profession", required=True)
    name = form.text("referral_name")
    reason = form.text("referral_reason", max_length=2000, multiline=True)
    return Referral(profession=profession, name=name, reason=reason)


def read_evaluation(
    data: MultiDict[str, str],
    *,
    with_referral: bool = True,
    instruments: tuple[Instrument, ...] = (),
) -> tuple[Evaluation | None, Referral | None, Reading]:
    """A and P: pain after, mobility, range of motion, posture, rating, the outcome
    measures the plan tracks (each left blank is not measured this time); the
    recommendation."""
    form = Form(data)
    pain_after = _required_number(form, "pain_after", 0, 10)
    answered = entered_from(data)
    measures = read_measures(instruments, answered, form.errors, optional=True)
    mobility = form.choice("mobility", tuple(k for k, _ in MOBILITY), "")
    if not data.get("mobility"):
        form.errors["mobility"] = "Choose better, the same or worse."
    rows, found = _range_of_motion(data, form.errors)
    posture = form.text("posture", max_length=2000, multiline=True)
    rating = _optional_number(form, "client_rating", 1, 10)
    notes = form.text("evaluation_notes", max_length=10000, multiline=True)
    recommendation = form.choice("recommendation", tuple(k for k, _ in RECOMMENDATIONS), "")
    if not data.get("recommendation"):
        form.errors["recommendation"] = "Choose what should happen next."
    interval = None
    if recommendation == "change_interval":
        interval = _required_number(form, "interval_days", 1, MAX_INTERVAL_DAYS)
    referral = _referral(form) if with_referral and recommendation == "refer" else None
    values = {name: data.get(name, "") for name in EVALUATION_FIELDS} | {
        "rom": rows,
        "mv": answered,
        "scores": score_lines(instruments, answered),
    }
    reading = Reading(values, form.errors)
    if form.errors or pain_after is None or not recommendation or not mobility:
        return None, None, reading
    evaluation = Evaluation(
        pain_after=pain_after,
        mobility=Mobility(mobility),
        recommendation=Recommendation(recommendation),
        range_of_motion=tuple(found),
        posture=posture,
        client_rating=rating,
        recommended_interval_days=interval,
        notes=notes,
        measures=measures,
    )
    return evaluation, referral, reading
