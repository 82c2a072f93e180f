"""A session's note, the way a SOAP note reads: what the client reports (S), what was
done (O) with the minutes of each procedure code, how it went (A) and what next (P),
recorded and evaluated in one save; a new interval is previewed before anything is saved.
Recorded notes are amended, never overwritten (record_amend.py); what the page shows is
gathered in record_page.py.

Therapists only (see clinical_access.py): the front desk never receives this page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.application.commands import PlanRevision
from service.domain.access import ChartUse
from service.domain.errors import DomainError, SlotTaken
from service.domain.rules import require_started
from service.domain.values import (
    Evaluation,
    Performance,
    Recommendation,
    Referral,
    SeriesSpec,
)
from service.domain.visit import VISIT_NUMBER
from service.http.context import clinic_zone, now, regimen
from service.scheduler.booking_policy import ConflictPolicy
from service.web.blueprint import web
from service.web.clashes import clash_text
from service.web.clinical_access import therapist_chart
from service.web.forms import Form, FormErrors, problem_text
from service.web.preview import fingerprint, preview_rows
from service.web.record_forms import Reading, read_evaluation, read_note
from service.web.record_page import RECORD, record_page, session_of, tracked_measures
from service.web.security import current_account

OVERRIDE = "authorization_override"


@dataclass
class SentRecord:
    """What the record form gave: the note and the evaluation (either may be left out),
    the values to show again, and the problems beside their fields."""

    performance: Performance | None
    evaluation: Evaluation | None
    referral: Referral | None
    shown: dict[str, Any]
    errors: FormErrors
    override: str = ""  # why the codes may bill beyond the authorization

    @property
    def interval(self) -> int | None:
        """The new interval the evaluation recommends, if it changes the pace."""
        evaluation = self.evaluation
        if evaluation is None or evaluation.recommendation is not Recommendation.CHANGE_INTERVAL:
            return None
        return evaluation.recommended_interval_days


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
    revision = PlanRevision(series, f"preview of a {interval}-day interval", ConflictPolicy.SHIFT)
    _, proposal = app.revise_plan(
        plan_id, revision, actor=current_account().actor, now=now(), dry_run=True
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


def _read_record(plan_id: UUID, number: int, recording: bool, note_only: bool) -> SentRecord:
    """The note (when recording) and the evaluation (unless only the note is saved)."""
    performance, note = read_note(request.form) if recording else (None, Reading({}))
    evaluation, referral, outcome = (
        (None, None, Reading({}))
        if note_only
        else read_evaluation(request.form, instruments=tracked_measures(plan_id, number))
    )
    form = Form(request.form)
    override = form.text(OVERRIDE, max_length=500) if recording else ""
    shown: dict[str, Any] = {}
    if recording:
        shown["note"] = note.values | {OVERRIDE: override}
    if not note_only:
        shown["evaluation"] = outcome.values
    errors = FormErrors({**note.errors, **outcome.errors, **form.errors})
    return SentRecord(performance, evaluation, referral, shown, errors, override)


def _unconfirmed(plan_id: UUID, number: int, sent: SentRecord) -> tuple[str, int] | None:
    """The page showing the re-paced sessions until the therapist confirms this very preview;
    None once they have."""
    assert sent.interval is not None  # only asked when the evaluation changes the interval
    preview, expected = _preview(plan_id, sent.interval)
    confirmed = request.form.get("confirm") == "yes"
    if confirmed and request.form.get("expected") == expected:
        return None
    stale = confirmed  # confirmed, but not what is shown now
    return record_page(
        plan_id,
        number,
        409 if stale else 200,
        preview=preview,
        expected=expected,
        error="The calendar or the interval changed since your preview. Check the new "
        "preview and confirm again."
        if stale
        else "",
        **sent.shown,
    )


def _save(plan_id: UUID, number: int, sent: SentRecord) -> None:
    """Save the visit's note, or the session's note and evaluation, in one save."""
    actor = current_account().actor
    if number == VISIT_NUMBER:
        assert sent.performance is not None  # a visit is only ever recorded
        regimen().perform_visit(plan_id, sent.performance, actor=actor, now=now())
        return
    regimen().record_and_evaluate(
        plan_id,
        number,
        performance=sent.performance,
        evaluation=sent.evaluation,
        referral=sent.referral,
        actor=actor,
        now=now(),
        apply_recommendation=sent.interval is not None,
        authorization_override=sent.override,
    )


@web.post(RECORD)
@therapist_chart(ChartUse.CHANGE)
def save_record(plan_id: UUID, number: int) -> Response | tuple[str, int]:
    """Record and evaluate (or only record, or only evaluate) the session in one save."""
    is_visit = number == VISIT_NUMBER
    session = session_of(plan_id, number)
    recording = session.performance is None
    if is_visit and not recording:
        return record_page(plan_id, number, 409, error="The visit is recorded: amend the note.")
    note_only = recording and (is_visit or request.form.get("save") == "note")
    sent = _read_record(plan_id, number, recording, note_only)
    if sent.errors:
        problem = "Some answers need another look: each is marked below."
        return record_page(plan_id, number, 422, errors=sent.errors, error=problem, **sent.shown)
    try:
        if sent.interval is not None:
            require_started(session.time, now(), f"session {number}")  # before any preview
            if (unconfirmed := _unconfirmed(plan_id, number, sent)) is not None:
                return unconfirmed
        _save(plan_id, number, sent)
    except SlotTaken as problem:
        return record_page(plan_id, number, 409, error=clash_text(problem), **sent.shown)
    except DomainError as problem:
        return record_page(plan_id, number, 422, error=problem_text(problem), **sent.shown)
    flash("The visit is recorded." if is_visit else _saved_message(number, sent), "success")
    return redirect(url_for("web.record_session", plan_id=plan_id, number=number))


def _saved_message(number: int, sent: SentRecord) -> str:
    if sent.performance is not None and sent.evaluation is not None:
        what = f"Session {number} is recorded and evaluated."
    elif sent.performance is not None:
        what = f"Session {number} is recorded; evaluate it when you are ready."
    else:
        what = f"Session {number} is evaluated."
    if sent.interval is not None:
        what += f" The remaining sessions are now every {sent.interval} days."
    return what
