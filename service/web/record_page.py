"""What a session's note page shows: the session (of a plan, or a visit's session 0), the
client, the note's and the evaluation's fields as first shown (the recorded ones, or the
plan's own choices), the amendments, and the procedure codes with the rule they bill under.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import url_for

from service.domain.client import Client
from service.domain.measures import Instrument
from service.domain.plan import TreatmentPlan
from service.domain.treatments import MODALITIES
from service.domain.users import User
from service.domain.values import Evaluation, Session
from service.domain.visit import VISIT_NUMBER, Visit, VisitKind
from service.http.context import clinic_zone, now, page, regimen, zone_label
from service.web.forms import FormErrors
from service.web.measure_fields import (
    activities_only,
    entered_for,
    form_context,
    measure_lines,
)
from service.web.procedure_fields import (
    billing_rule,
    code_options,
    procedure_pairs,
    procedure_rows,
    units_authorized,
)
from service.web.record_forms import MOBILITY, RECOMMENDATIONS

RECORD = "/sessions/<uuid:plan_id>/<int:number>/record"
VISIT_KINDS = {
    VisitKind.ASSESSMENT: "assessment visit",
    VisitKind.SINGLE: "single session",
    VisitKind.FOLLOW_UP: "follow-up visit",
}
ROM_ROWS = 3  # empty rows offered beyond those already filled in


def note_values(plan: TreatmentPlan | None, session: Session) -> dict[str, Any]:
    """The note's fields as first shown: the recorded note, or the plan's own choices."""
    done = session.performance
    procedures = procedure_pairs(plan, session)
    if done is not None:
        return {
            "client_report": done.client_report,
            "pain_before": str(done.pain_before),
            "techniques": [t for t in done.techniques if t in technique_options(plan)],
            "techniques_other": ", ".join(
                t for t in done.techniques if t not in technique_options(plan)
            ),
            "areas": list(done.areas),
            "duration_minutes": str(done.duration_minutes),
            "notes": done.notes,
            "procedures": procedures,
        }
    return {
        "client_report": "",
        "pain_before": "",
        "techniques": list(plan.modalities) if plan else [],
        "techniques_other": "",
        "areas": list(plan.focus_areas) if plan else [],
        "duration_minutes": str(session.time.minutes),
        "notes": "",
        "procedures": procedures,
    }


def evaluation_values(plan: TreatmentPlan, session: Session) -> dict[str, Any]:
    """The evaluation's fields as first shown: the recorded one, or ready to re-measure
    the range of motion the assessment measured."""
    done = session.evaluation
    if done is not None:
        return {
            "pain_after": str(done.pain_after),
            "mobility": done.mobility.value,
            "rom": [
                {
                    "joint": r.joint,
                    "movement": r.movement,
                    "side": r.side,
                    "degrees": str(r.degrees),
                }
                for r in done.range_of_motion
            ],
            "posture": done.posture,
            "client_rating": "" if done.client_rating is None else str(done.client_rating),
            "evaluation_notes": done.notes,
            "recommendation": done.recommendation.value,
            "interval_days": str(done.recommended_interval_days or ""),
            "mv": entered_for(done.measures) | _named_activities(plan, done),
        }
    return {
        "mv": activities_only(plan.assessment.measures),
        "rom": [
            {"joint": r.joint, "movement": r.movement, "side": r.side, "degrees": ""}
            for r in plan.assessment.range_of_motion
        ],
        "interval_days": str(plan.series.interval_days),
    }


def _named_activities(plan: TreatmentPlan, done: Evaluation) -> dict[str, str]:
    """The baseline's PSFS activities, where this evaluation did not answer the PSFS."""
    if any(m.instrument is Instrument.PSFS for m in done.measures):
        return {}
    return {k: v for k, v in activities_only(plan.assessment.measures).items() if v}


def technique_options(plan: TreatmentPlan | None) -> list[str]:
    """The plan's modalities first, then the techniques most sessions use."""
    return list(dict.fromkeys([*(plan.modalities if plan else ()), *MODALITIES]))


def actor_name(user_id: str) -> str:
    """The name of the staff account that caused an event (its id if it is not one)."""
    try:
        user = regimen().find(User, UUID(user_id))
    except ValueError:
        return user_id
    return user.name if user is not None else user_id


def _subject(record_id: UUID, number: int) -> dict[str, Any]:
    """The plan (None for a visit), the session, whose it is and where the calendar shows it."""
    app = regimen()
    if number == VISIT_NUMBER:
        visit = app.load(Visit, record_id)
        return {
            "plan": None,
            "session": visit.session,
            "client_id": str(visit.client_id),
            "what": VISIT_KINDS[visit.kind],
            "calendar_path": url_for("web.visit_detail", visit_id=record_id),
        }
    plan = app.plan(record_id)
    return {
        "plan": plan,
        "session": plan.session(number),
        "client_id": str(plan.client_id),
        "what": f"session {number} of {plan.series.sessions}",
        "calendar_path": url_for("web.session_detail", plan_id=record_id, number=number),
    }


def _amendments(session: Session, zone: str) -> list[dict[str, Any]]:
    return [
        {
            "what": a.what,
            "reason": a.reason,
            "by": actor_name(a.actor.user_id),
            "at": a.at.astimezone(ZoneInfo(zone)),
            "replaced": a.replaced,
        }
        for a in session.amendments
    ]


def record_values(record_id: UUID, number: int) -> dict[str, Any]:
    """The session, the client, and the fields as first shown; a visit is recorded, not
    evaluated."""
    app, subject = regimen(), _subject(record_id, number)
    plan: TreatmentPlan | None = subject["plan"]
    session: Session = subject["session"]
    zone = clinic_zone()
    start = session.time.start.astimezone(ZoneInfo(zone))
    return {
        **subject,
        "plan_id": str(record_id),
        "start": start,
        "end": session.time.end.astimezone(ZoneInfo(zone)),
        "zone_label": zone_label(zone, start.date()),
        "client_name": app.load(Client, UUID(subject["client_id"])).name,
        "started": session.time.start <= now(),
        "techniques": technique_options(plan),
        "mobility_options": MOBILITY,
        "recommendations": RECOMMENDATIONS,
        "note": note_values(plan, session),
        "evaluation": evaluation_values(plan, session) if plan else {},
        "amendments": _amendments(session, zone),
        "rom_rows": ROM_ROWS,
        "errors": FormErrors(),
        "tracked": [i.value for i in plan.measures] if plan else [],
        "measure_lines": (lambda e: measure_lines(plan.assessment.measures, e.measures))
        if plan
        else (lambda e: []),
        "procedure_rows": lambda pairs: procedure_rows(code_options(app, plan), pairs),
        "billing_rule": billing_rule(app, plan),
        **units_authorized(plan),
        **form_context(),
    }


def tracked_measures(record_id: UUID, number: int) -> tuple[Instrument, ...]:
    """The outcome measures the plan tracks (a visit's note has none)."""
    if number == VISIT_NUMBER:
        return ()
    return tuple(regimen().plan(record_id).measures)


def session_of(record_id: UUID, number: int) -> Session:
    """The plan's session `number`, or the visit's own."""
    if number == VISIT_NUMBER:
        return regimen().load(Visit, record_id).session
    return regimen().plan(record_id).session(number)


def record_page(plan_id: UUID, number: int, status: int = 200, **changes: Any) -> tuple[str, int]:
    """The note page, with a form's values and problems if one was just sent."""
    values = record_values(plan_id, number)
    values.update(changes)
    return page("record.html", status, **values)
