"""Amending a recorded note or evaluation: the correction is saved with its reason, and the
original stays in the record (and on the page) with who amended it and when."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.domain.access import ChartUse
from service.domain.errors import DomainError
from service.domain.values import Evaluation, Performance
from service.domain.visit import VISIT_NUMBER
from service.http.context import now, regimen
from service.web.blueprint import web
from service.web.clinical_access import therapist_chart
from service.web.forms import Form, FormErrors, problem_text
from service.web.record_forms import Reading, read_evaluation, read_note
from service.web.record_page import RECORD, record_page, tracked_measures
from service.web.security import current_account

Corrected = TypeVar("Corrected", Performance, Evaluation)


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
        request.form, with_referral=False, instruments=tracked_measures(plan_id, number)
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
