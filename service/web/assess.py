"""Assess and propose: the therapist's form at the end of an assessment or follow-up visit.

One form, two parts: the structured assessment (what hurts, since when, how, pain 0-10,
range of motion, posture, tissue) and the plan (intention, focus areas on the body chart,
modalities, the series, home care, and an optional referral, prescription and
authorization). Both are saved together (`Regimen.assess_visit`): the assessment and the
plan are kept, or neither. Only the visit's therapist (or any therapist, where the clinic
opens every chart) opens it; the desk never does.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from flask import flash, redirect, request
from werkzeug.wrappers import Response

from service.domain.access import ChartUse
from service.domain.client import Client
from service.domain.errors import DomainError, InvalidValue
from service.domain.measures import suggested_instruments
from service.domain.proposal import PlanProposal
from service.domain.rules import validate_assessment
from service.domain.treatments import HOME_CARE, MODALITIES
from service.domain.values import Assessment, Intention, SessionStatus
from service.domain.visit import Visit, VisitKind
from service.http.context import now, page, reads, regimen
from service.web.assess_entered import Entered
from service.web.assess_form import AssessForm
from service.web.blueprint import web
from service.web.calendar_model import KIND_LABELS
from service.web.clinical_access import therapist_chart
from service.web.forms import FormErrors, problem_text
from service.web.measure_fields import form_context, instrument_choices, score_lines
from service.web.security import current_account

ASSESS = "/visits/<uuid:visit_id>/assess"
MOST_PAYERS = 200


def registered_payers() -> dict[UUID, str]:
    """The payers the admin registered, by name: an authorization may name one."""
    rows = reads().directory("payer", limit=MOST_PAYERS).items
    return {UUID(row["id"]): row["name"] for row in rows}


def _visit_or_refusal(visit_id: UUID) -> Visit | tuple[str, int]:
    """The visit to assess, or the page saying why this one cannot be."""
    visit = regimen().visit(visit_id)
    if visit.kind is VisitKind.SINGLE:
        message = (
            "A plan is proposed from an assessment or follow-up visit; this is a single session."
        )
    elif visit.status in (SessionStatus.CANCELLED, SessionStatus.MISSED):
        word = "cancelled" if visit.status is SessionStatus.CANCELLED else "a no-show"
        message = f"This visit was {word}: there is nothing to assess."
    elif visit.plan_id is not None:
        message = "A plan was already proposed from this visit; it is on the client's chart."
    else:
        return visit
    return page("message.html", 409, title="This visit cannot be assessed", message=message)


def assess_page(
    visit: Visit,
    entered: Entered,
    status: int = 200,
    *,
    errors: Mapping[str, str] | None = None,
    problem: str = "",
    focus_row: int | None = None,
    focus_measures: bool = False,
) -> tuple[str, int]:
    """The form, with what was entered and what is wrong with it; the instruments the focus
    areas newly suggest are ticked (what is saved is only ever what was shown ticked)."""
    app = regimen()
    entered.suggest_measures()
    entered.prefill_nprs()
    start = visit.session.time
    return page(
        "assess.html",
        status,
        visit=visit,
        visit_id=str(visit.id),
        client_name=app.load(Client, visit.client_id).name,
        what=KIND_LABELS[visit.kind.value],
        local_start=start.local_start,
        started=start.start <= now(),
        v=entered.text,
        lists=entered.lists,
        rom=entered.rom,
        errors=FormErrors(errors or {}),
        problem=problem,
        focus_row=focus_row,
        modalities=MODALITIES,
        home_care=HOME_CARE,
        relaxation_only=visit.kind is VisitKind.FOLLOW_UP,
        measures=entered.measures,
        measures_for=entered.measures_for,
        mv=entered.answers,
        instruments=instrument_choices(),
        suggested=[i.name for i in suggested_instruments(tuple(entered.measures_for.split("|")))],
        scores=score_lines(entered.tracked, entered.answers),
        nprs_note=entered.nprs_note,
        focus_measures=focus_measures,
        payers=sorted(((str(i), n) for i, n in registered_payers().items()), key=lambda p: p[1]),
        **form_context(),
    )


@web.get(ASSESS)
@therapist_chart(ChartUse.CHANGE)
def assess_visit(visit_id: UUID) -> tuple[str, int]:
    """The assess-and-propose form of an assessment or follow-up visit."""
    visit = _visit_or_refusal(visit_id)
    if not isinstance(visit, Visit):
        return visit
    return assess_page(visit, Entered.for_visit(visit))


ONLY_RELAXATION = (
    "A clinical assessment ends with a plan: propose one below, or choose relaxation as the "
    "intention to record the assessment alone."
)


def _read(
    visit: Visit, entered: Entered, action: str
) -> tuple[AssessForm, Assessment, PlanProposal | None, str]:
    """The assessment and (unless it is recorded alone) the proposal the form gives, and
    what stops them being saved, if anything (the form's errors say the rest)."""
    entered.prefill_nprs()
    form = AssessForm(entered, registered_payers())
    assessment = form.assessment()
    try:
        if form.ok:
            validate_assessment(assessment)
        if action != "assessment_only":
            return form, assessment, form.proposal(visit, assessment), ""
    except InvalidValue as invalid:
        return form, assessment, None, problem_text(invalid)
    clinical = entered.text["intention"] != Intention.RELAXATION.value
    if clinical and visit.kind is not VisitKind.FOLLOW_UP:
        return form, assessment, None, ONLY_RELAXATION
    return form, assessment, None, ""


def _proposed(proposal: PlanProposal | None) -> str:
    if proposal is None:
        return "Assessment recorded."
    series = proposal.series
    every = "every day" if series.interval_days == 1 else f"every {series.interval_days} days"
    sessions = "1 session" if series.sessions == 1 else f"{series.sessions} sessions"
    return f"Plan proposed: {sessions} {every}."


@web.post(ASSESS)
@therapist_chart(ChartUse.CHANGE)
def save_assessment(visit_id: UUID) -> Response | tuple[str, int]:
    """Record the assessment and propose the plan (or record the assessment alone)."""
    visit = _visit_or_refusal(visit_id)
    if not isinstance(visit, Visit):
        return visit
    entered = Entered.from_form(request.form)
    action = request.form.get("action", "propose")
    if action == "add_row":
        entered.add_row()
        return assess_page(visit, entered, focus_row=len(entered.rom) - 1)
    if action == "update_measures":
        return assess_page(visit, entered, focus_measures=True)
    form, assessment, proposal, problem = _read(visit, entered, action)
    if problem or not form.ok:
        count = len(form.errors)
        problem = problem or f"{count} {'answer needs' if count == 1 else 'answers need'} a change:"
        return assess_page(visit, entered, 422, errors=form.errors, problem=problem)
    try:
        regimen().assess_visit(
            visit_id, assessment, proposal=proposal, actor=current_account().actor, now=now()
        )
    except DomainError as refused:
        return assess_page(visit, entered, 409, errors=form.errors, problem=problem_text(refused))
    flash(_proposed(proposal), "success")
    return redirect(f"/charts/{visit.client_id}")
