"""A session's note, the way a SOAP note reads: what the client reports (S), what was
done (O), how it went (A) and what next (P), recorded and evaluated in one save; a new
interval is previewed before anything is saved. Recorded notes are amended, never
overwritten: the page shows each amendment with the text it replaced.

Therapists only (see clinical_access.py): the front desk never receives this page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.domain.access import ChartUse
from service.domain.client import Client
from service.domain.errors import DomainError, SlotTaken
from service.domain.measures import Instrument
from service.domain.plan import TreatmentPlan
from service.domain.rules import (
    require_started,
)
from service.domain.treatments import MODALITIES
from service.domain.users import User
from service.domain.values import (
    Evaluation,
    Performance,
    Recommendation,
    SeriesSpec,
    Session,
)
from service.domain.visit import VISIT_NUMBER, Visit, VisitKind
from service.http.context import clinic_zone, now, page, regimen, zone_label
from service.scheduler.booking_policy import ConflictPolicy
from service.web.blueprint import web
from service.web.clashes import clash_text
from service.web.clinical_access import therapist_chart
from service.web.forms import Form, FormErrors, problem_text
from service.web.measure_fields import (
    activities_only,
    entered_for,
    form_context,
    measure_lines,
)
from service.web.preview import fingerprint, preview_rows
from service.web.record_forms import MOBILITY, RECOMMENDATIONS, Reading, read_evaluation, read_note
from service.web.security import current_account

RECORD = "/sessions/<uuid:plan_id>/<int:number>/record"
VISIT_KINDS = {
    VisitKind.ASSESSMENT: "assessment visit",
    VisitKind.SINGLE: "single session",
    VisitKind.FOLLOW_UP: "follow-up visit",
}
Corrected = TypeVar("Corrected", Performance, Evaluation)
ROM_ROWS = 3  # empty rows offered beyond those already filled in


def note_values(plan: TreatmentPlan | None, session: Session) -> dict[str, Any]:
    """The note's fields as first shown: the recorded note, or the plan's own choices."""
    done = session.performance
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
        }
    return {
        "client_report": "",
        "pain_before": "",
        "techniques": list(plan.modalities) if plan else [],
        "techniques_other": "",
        "areas": list(plan.focus_areas) if plan else [],
        "duration_minutes": str(session.time.minutes),
        "notes": "",
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


def record_values(record_id: UUID, number: int) -> dict[str, Any]:
    """The session (of a plan, or a visit's session 0), the client, and the fields as first
    shown; a visit is recorded, not evaluated."""
    app = regimen()
    plan: TreatmentPlan | None = None
    if number == VISIT_NUMBER:
        visit = app.load(Visit, record_id)
        session, client_id = visit.session, visit.client_id
        what = f"{VISIT_KINDS[visit.kind]}"
    else:
        plan = app.plan(record_id)
        session, client_id = plan.session(number), plan.client_id
        what = f"session {number} of {plan.series.sessions}"
    zone = clinic_zone()
    start = session.time.start.astimezone(ZoneInfo(zone))
    return {
        "plan": plan,
        "plan_id": str(record_id),
        "client_id": str(client_id),
        "what": what,
        "calendar_path": url_for("web.visit_detail", visit_id=record_id)
        if plan is None
        else url_for("web.session_detail", plan_id=record_id, number=number),
        "session": session,
        "start": start,
        "end": session.time.end.astimezone(ZoneInfo(zone)),
        "zone_label": zone_label(zone, start.date()),
        "client_name": app.load(Client, client_id).name,
        "started": session.time.start <= now(),
        "techniques": technique_options(plan),
        "mobility_options": MOBILITY,
        "recommendations": RECOMMENDATIONS,
        "note": note_values(plan, session),
        "evaluation": evaluation_values(plan, session) if plan else {},
        "amendments": [
            {
                "what": a.what,
                "reason": a.reason,
                "by": actor_name(a.actor.user_id),
                "at": a.at.astimezone(ZoneInfo(zone)),
                "replaced": a.replaced,
            }
            for a in session.amendments
        ],
        "rom_rows": ROM_ROWS,
        "errors": FormErrors(),
        "tracked": [i.value for i in plan.measures] if plan else [],
        "measure_lines": (lambda e: measure_lines(plan.assessment.measures, e.measures))
        if plan
        else (lambda e: []),
        **form_context(),
    }


def _tracked(record_id: UUID, number: int) -> tuple[Instrument, ...]:
    """The outcome measures the plan tracks (a visit's note has none)."""
    if number == VISIT_NUMBER:
        return ()
    return tuple(regimen().plan(record_id).measures)


def _session_of(record_id: UUID, number: int) -> Session:
    if number == VISIT_NUMBER:
        return regimen().load(Visit, record_id).session
    return regimen().plan(record_id).session(number)


def record_page(plan_id: UUID, number: int, status: int = 200, **changes: Any) -> tuple[str, int]:
    """The note page, with a form's values and problems if one was just sent."""
    values = record_values(plan_id, number)
    values.update(changes)
    return page("record.html", status, **values)


@web.get(RECORD)
@therapist_chart(ChartUse.CHANGE)
def record_session(plan_id: UUID, number: int) -> tuple[str, int]:
    """The session's note: the form to record and evaluate it, or the note as recorded."""
    return record_page(plan_id, number)


def _preview(plan_id: UUID, interval: int) -> tuple[dict[str, Any], str]:
    """The remaining sessions re-paced to `interval` days, as the desk's series preview
    shows them, and the fingerprint to confirm against; nothing is written."""
    app = regimen()
    plan = app.plan(plan_id)
    series = SeriesSpec(plan.series.sessions, interval, plan.series.session_minutes)
    _, proposal = app.revise_plan(
        plan_id,
        series=series,
        reason=f"preview of a {interval}-day interval",
        actor=current_account().actor,
        now=now(),
        policy=ConflictPolicy.SHIFT,
        dry_run=True,
    )
    if proposal is None:
        return {"rows": [], "bookable": True, "clashes": 0, "interval": interval}, ""
    numbers = [session.number for session in plan.future_bookings(now())]
    rows = [
        # the series' occurrences are the future sessions, which keep their numbers
        replace(row, occurrence=_session_number(numbers, row.occurrence))
        for row in preview_rows(proposal, len(numbers), clinic_zone())
    ]
    values = {
        "rows": rows,
        "bookable": proposal.bookable,
        "clashes": sum(1 for row in rows if row.has_conflict),
        "interval": interval,
    }
    return values, fingerprint(proposal)


def _session_number(numbers: list[int], occurrence: int) -> int:
    if occurrence <= len(numbers):
        return numbers[occurrence - 1]
    return (numbers[-1] if numbers else 0) + occurrence - len(numbers)


@web.post(RECORD)
@therapist_chart(ChartUse.CHANGE)
def save_record(plan_id: UUID, number: int) -> Response | tuple[str, int]:
    """Record and evaluate (or only record, or only evaluate) the session in one save."""
    is_visit = number == VISIT_NUMBER
    session = _session_of(plan_id, number)
    recording = session.performance is None
    if is_visit and not recording:
        return record_page(plan_id, number, 409, error="The visit is recorded: amend the note.")
    note_only = recording and (is_visit or request.form.get("save") == "note")
    performance, note = read_note(request.form) if recording else (None, Reading({}))
    evaluation, referral, outcome = (
        (None, None, Reading({}))
        if note_only
        else read_evaluation(request.form, instruments=_tracked(plan_id, number))
    )
    shown: dict[str, Any] = {}
    if recording:
        shown["note"] = note.values
    if not note_only:
        shown["evaluation"] = outcome.values
    errors = FormErrors({**note.errors, **outcome.errors})
    if errors:
        return record_page(
            plan_id,
            number,
            422,
            errors=errors,
            error="Some answers need another look: each is marked below.",
            **shown,
        )
    interval = None
    if evaluation is not None and evaluation.recommendation is Recommendation.CHANGE_INTERVAL:
        interval = evaluation.recommended_interval_days
    try:
        if interval is not None:
            require_started(session.time, now(), f"session {number}")  # before any preview
            preview, expected = _preview(plan_id, interval)
            confirmed = request.form.get("confirm") == "yes"
            if not confirmed or request.form.get("expected") != expected:
                stale = confirmed and request.form.get("expected") != expected
                return record_page(
                    plan_id,
                    number,
                    409 if stale else 200,
                    preview=preview,
                    expected=expected,
                    error="The calendar or the interval changed since your preview. Check "
                    "the new preview and confirm again."
                    if stale
                    else "",
                    **shown,
                )
        if is_visit:
            assert performance is not None  # read without errors above
            regimen().perform_visit(plan_id, performance, actor=current_account().actor, now=now())
        else:
            regimen().record_and_evaluate(
                plan_id,
                number,
                performance=performance,
                evaluation=evaluation,
                referral=referral,
                actor=current_account().actor,
                now=now(),
                apply_recommendation=interval is not None,
            )
    except SlotTaken as problem:
        return record_page(plan_id, number, 409, error=clash_text(problem), **shown)
    except DomainError as problem:
        return record_page(plan_id, number, 422, error=problem_text(problem), **shown)
    saved = _saved_message(number, performance, evaluation, interval)
    flash("The visit is recorded." if is_visit else saved, "success")
    return redirect(url_for("web.record_session", plan_id=plan_id, number=number))


def _saved_message(
    number: int,
    performance: Performance | None,
    evaluation: Evaluation | None,
    interval: int | None,
) -> str:
    if performance is not None and evaluation is not None:
        what = f"Session {number} is recorded and evaluated."
    elif performance is not None:
        what = f"Session {number} is recorded; evaluate it when you are ready."
    else:
        what = f"Session {number} is evaluated."
    if interval is not None:
        what += f" The remaining sessions are now every {interval} days."
    return what


def _amended(
    plan_id: UUID,
    number: int,
    part: str,
    reading: Reading,
    corrected: Corrected | None,
    change: Callable[[Corrected, str], None],
    done: str,
) -> Response | tuple[str, int]:
    """Save a correction of the note or the evaluation with its reason, or re-show the
    record with the correction and what needs another look."""
    form = Form(request.form)
    reason = form.text("reason", required=True, max_length=500)
    errors = FormErrors({**reading.errors, **form.errors})
    reading.values["reason"] = reason
    if errors or corrected is None:
        return record_page(
            plan_id,
            number,
            422,
            errors=errors,
            amending=part,
            **{
                part: reading.values,
                f"{part}_error": "Some answers need another look: each is marked below.",
            },
        )
    try:
        change(corrected, reason)
    except DomainError as problem:
        return record_page(
            plan_id,
            number,
            422,
            amending=part,
            **{part: reading.values, f"{part}_error": problem_text(problem)},
        )
    flash(done, "success")
    return redirect(url_for("web.record_session", plan_id=plan_id, number=number))


@web.post(f"{RECORD}/amend-note")
@therapist_chart(ChartUse.CHANGE)
def amend_note(plan_id: UUID, number: int) -> Response | tuple[str, int]:
    """Correct the recorded note, saying why; the original stays in the record."""
    performance, note = read_note(request.form)

    def change(performance: Performance, reason: str) -> None:
        actor = current_account().actor
        if number == VISIT_NUMBER:
            regimen().amend_visit_record(
                plan_id, performance=performance, reason=reason, actor=actor, now=now()
            )
        else:
            regimen().amend_session_record(
                plan_id, number, performance=performance, reason=reason, actor=actor, now=now()
            )

    done = "The note is amended; the original stays in its history."
    return _amended(plan_id, number, "note", note, performance, change, done)


@web.post(f"{RECORD}/amend-evaluation")
@therapist_chart(ChartUse.CHANGE)
def amend_evaluation(plan_id: UUID, number: int) -> Response | tuple[str, int]:
    """Correct the recorded evaluation, saying why; the original stays in the record."""
    evaluation, _, outcome = read_evaluation(
        request.form, with_referral=False, instruments=_tracked(plan_id, number)
    )

    def change(evaluation: Evaluation, reason: str) -> None:
        regimen().amend_evaluation(
            plan_id,
            number,
            evaluation=evaluation,
            reason=reason,
            actor=current_account().actor,
            now=now(),
        )

    done = f"The evaluation of session {number} is amended; the original stays in its history."
    return _amended(plan_id, number, "evaluation", outcome, evaluation, change, done)
