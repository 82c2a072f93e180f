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
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from flask import flash, redirect, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from service.domain.access import ChartUse
from service.domain.body_regions import chart_choice
from service.domain.client import Client
from service.domain.errors import DomainError, InvalidValue
from service.domain.measures import Instrument, suggested_instruments
from service.domain.proposal import PlanProposal
from service.domain.rules import (
    MAX_INTERVAL_DAYS,
    MAX_SERIES_SESSIONS,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    ROM_SIDES,
    validate_assessment,
)
from service.domain.treatments import HOME_CARE, MODALITIES
from service.domain.values import (
    Assessment,
    Authorization,
    Intention,
    Prescription,
    RangeOfMotion,
    Referral,
    SeriesSpec,
    SessionStatus,
)
from service.domain.visit import Visit, VisitKind
from service.http.context import now, page, regimen
from service.web.blueprint import web
from service.web.calendar_model import KIND_LABELS
from service.web.clinical_access import my_therapist_id, therapist_chart
from service.web.forms import Form, FormErrors, problem_text
from service.web.measure_fields import (
    entered_for,
    entered_from,
    form_context,
    instrument_choices,
    instruments_in,
    read_measures,
    score_lines,
)
from service.web.security import current_account

ASSESS = "/visits/<uuid:visit_id>/assess"
ROM_ROWS = 3  # blank range-of-motion rows offered at first
MAX_ROM_ROWS = 20
ROM_FIELDS = ("joint", "movement", "side", "degrees")
TEXT_FIELDS = (
    "complaint",
    "duration",
    "onset",
    "pain_description",
    "pain_level",
    "posture",
    "tissue",
    "intention",
    "other_areas",
    "other_modalities",
    "sessions",
    "interval_days",
    "session_minutes",
    "expected_progress",
    "other_home_care",
    "referral_profession",
    "referral_name",
    "referral_reason",
    "prescription_physician",
    "prescription_issued_on",
    "prescription_notes",
    "authorization_payer",
    "authorization_number",
    "authorization_visits",
    "authorization_valid_until",
)
LIST_FIELDS = ("focus_areas", "modalities", "home_care")


@dataclass
class Entered:
    """The form as the therapist filled it in: kept as typed, to show again."""

    text: dict[str, str]
    lists: dict[str, list[str]]
    rom: list[dict[str, str]] = field(default_factory=list)
    measures: list[str] = field(default_factory=lambda: [Instrument.NPRS.value])  # tracked
    answers: dict[str, str] = field(default_factory=lambda: entered_from({}))  # as typed
    measures_for: str = ""  # the focus areas the instruments were last suggested for
    nprs_note: str = ""  # said when the NPRS answer was taken from the pain level

    @classmethod
    def from_form(cls, data: MultiDict[str, str]) -> Entered:
        rows = _row_count(data.get("rom_rows", ""))
        entered = cls(
            text={name: (data.get(name) or "").strip() for name in TEXT_FIELDS},
            lists={
                name: [v.strip() for v in data.getlist(name) if v.strip()] for name in LIST_FIELDS
            },
            rom=[
                {name: (data.get(f"rom_{name}_{i}") or "").strip() for name in ROM_FIELDS}
                for i in range(rows)
            ],
            measures=[i.value for i in instruments_in(data.getlist("measures"))],
            answers=entered_from(data),
            measures_for=data.get("measures_for", ""),
        )
        return entered

    @classmethod
    def for_visit(cls, visit: Visit) -> Entered:
        """A fresh form: the visit's complaint, or the assessment already recorded."""
        text = dict.fromkeys(TEXT_FIELDS, "")
        text.update(intention=Intention.CLINICAL.value, interval_days="7", session_minutes="60")
        text["complaint"] = visit.complaint
        rom: list[dict[str, str]] = []
        measures = [Instrument.NPRS.value]
        answers = entered_from({})
        if visit.assessment is not None:
            a = visit.assessment
            if a.measures:
                measures = [m.instrument.value for m in a.measures]
                answers = entered_for(a.measures)
            text.update(
                complaint=a.complaint,
                duration=a.duration,
                onset=a.onset,
                pain_description=a.pain_description,
                pain_level=str(a.pain_level),
                posture=a.posture,
                tissue=a.tissue,
            )
            rom = [
                {
                    "joint": f.joint,
                    "movement": f.movement,
                    "side": f.side,
                    "degrees": str(f.degrees),
                }
                for f in a.range_of_motion
            ]
        blank = dict.fromkeys(ROM_FIELDS, "")
        rom += [dict(blank) for _ in range(max(ROM_ROWS - len(rom), 1))]
        lists: dict[str, list[str]] = {name: [] for name in LIST_FIELDS}
        return cls(text=text, lists=lists, rom=rom, measures=measures, answers=answers)

    def focus_key(self) -> str:
        """The focus areas as entered, one string (what the suggestion was made for)."""
        return "|".join([*self.lists["focus_areas"], *_split(self.text["other_areas"])])

    def suggest_measures(self) -> None:
        """Tick the instruments the focus areas newly suggest, when the areas changed since
        the form was last shown (an instrument the therapist unticked stays unticked while
        the areas stay the same)."""
        key = self.focus_key()
        if key == self.measures_for:
            return
        before = set(suggested_instruments(tuple(self.measures_for.split("|"))))
        for instrument in suggested_instruments(tuple(key.split("|"))):
            if instrument not in before and instrument.value not in self.measures:
                self.measures.append(instrument.value)
        self.measures = [i.value for i in instruments_in(self.measures)]
        self.measures_for = key

    @property
    def tracked(self) -> tuple[Instrument, ...]:
        return instruments_in(self.measures)

    def prefill_nprs(self) -> None:
        """Take the NPRS answer from the pain level when it was left empty, and say so."""
        if Instrument.NPRS.value not in self.measures or self.answers["nprs"]:
            return
        if not self.text["pain_level"]:
            return
        self.answers["nprs"] = self.text["pain_level"]
        self.nprs_note = (
            "Filled in from the pain level above; change it if the client answered otherwise."
        )

    def add_row(self) -> None:
        if len(self.rom) < MAX_ROM_ROWS:
            self.rom.append(dict.fromkeys(ROM_FIELDS, ""))


def _row_count(value: str) -> int:
    try:
        return min(max(int(value), 1), MAX_ROM_ROWS)
    except ValueError:
        return ROM_ROWS


def _split(text: str) -> list[str]:
    """Free text of several items: one per comma or semicolon."""
    return [item.strip() for item in text.replace(";", ",").split(",") if item.strip()]


class AssessForm(Form):
    """Reads the entered values into domain values; problems are kept by field."""

    def __init__(self, entered: Entered) -> None:
        super().__init__(entered.text)
        self.entered = entered

    def required_number(self, name: str, low: int, high: int, what: str) -> int:
        if not self.data.get(name):
            self.errors[name] = f"Enter {what} ({low} to {high})."
            return low
        return self.number(name, low, high, low)

    def optional_day(self, name: str) -> date | None:
        return self.day(name) if self.data.get(name) else None

    def range_of_motion(self) -> tuple[RangeOfMotion, ...]:
        findings = []
        for i, row in enumerate(self.entered.rom):
            if not any(row.values()):
                continue
            names = {k: f"rom_{k}_{i}" for k in ROM_FIELDS}
            row_form = Form({names[k]: v for k, v in row.items()})
            joint = row_form.text(names["joint"], required=True, max_length=80)
            movement = row_form.text(names["movement"], required=True, max_length=80)
            side = row["side"] if row["side"] in ROM_SIDES else ""
            if not row["degrees"]:
                row_form.errors[names["degrees"]] = "Enter the degrees (0 to 360)."
            degrees = row_form.number(names["degrees"], 0, 360, 0)
            self.errors.update(row_form.errors)
            findings.append(RangeOfMotion(joint, movement, degrees, side))
        return tuple(findings)

    def assessment(self) -> Assessment:
        onset = self.text("onset")
        if onset not in ("", "sudden", "gradual"):
            self.errors["onset"] = "Choose sudden or gradual."
        if not self.entered.tracked:
            self.errors["measures"] = "Choose at least one outcome measure the plan tracks."
        measures = read_measures(self.entered.tracked, self.entered.answers, self.errors)
        return Assessment(
            complaint=self.text("complaint", required=True, max_length=500),
            duration=self.text("duration", max_length=200),
            onset=onset if onset in ("sudden", "gradual") else "",
            pain_description=self.text("pain_description", max_length=1000),
            pain_level=self.required_number("pain_level", 0, 10, "the pain"),
            range_of_motion=self.range_of_motion(),
            posture=self.text("posture", max_length=1000, multiline=True),
            tissue=self.text("tissue", max_length=1000, multiline=True),
            measures=measures,
        )

    def proposal(self, visit: Visit, assessment: Assessment) -> PlanProposal | None:
        intention = self.choice("intention", tuple(i.value for i in Intention), "clinical")
        other_areas = self.text("other_areas", max_length=500)
        areas = chart_choice([*self.entered.lists["focus_areas"], *_split(other_areas)]).areas
        if not areas:
            self.errors["focus_areas"] = "Mark at least one area on the body chart."
        other_modalities = self.text("other_modalities", max_length=500)
        modalities = _unique([*self.entered.lists["modalities"], *_split(other_modalities)])
        if not modalities:
            self.errors["modalities"] = "Choose at least one modality, or name one."
        other_home_care = self.text("other_home_care", max_length=500)
        adjuncts = _unique([*self.entered.lists["home_care"], *_split(other_home_care)])
        series = SeriesSpec(
            sessions=self.required_number("sessions", 1, MAX_SERIES_SESSIONS, "the sessions"),
            interval_days=self.required_number(
                "interval_days", 1, MAX_INTERVAL_DAYS, "the days between sessions"
            ),
            session_minutes=self.required_number(
                "session_minutes", MIN_SESSION_MINUTES, MAX_SESSION_MINUTES, "the minutes"
            ),
        )
        expected = self.text("expected_progress", max_length=1000, multiline=True)
        referral, prescription, authorization = (
            self.referral(),
            self.prescription(),
            self.authorization(),
        )
        if not self.ok:
            return None
        return PlanProposal(
            client_id=visit.client_id,
            therapist_id=my_therapist_id(),
            assessment=assessment,
            intention=Intention(intention),
            focus_areas=areas,
            modalities=tuple(modalities),
            series=series,
            room_id=visit.session.room_id,
            expected_progress=expected,
            adjuncts=tuple(adjuncts),
            referral=referral,
            prescription=prescription,
            authorization=authorization,
            from_visit_id=visit.id,
            measures=self.entered.tracked,
        )

    def _any(self, prefix: str, names: tuple[str, ...]) -> bool:
        return any(self.data.get(f"{prefix}_{n}") for n in names)

    def referral(self) -> Referral | None:
        if not self._any("referral", ("profession", "name", "reason")):
            return None
        return Referral(
            profession=self.text("referral_profession", required=True, max_length=120),
            name=self.text("referral_name", max_length=120),
            reason=self.text("referral_reason", max_length=500),
        )

    def prescription(self) -> Prescription | None:
        if not self._any("prescription", ("physician", "issued_on", "notes")):
            return None
        physician = self.text("prescription_physician", required=True, max_length=120)
        issued_on = self.day("prescription_issued_on")
        notes = self.text("prescription_notes", max_length=1000, multiline=True)
        return Prescription(physician, issued_on or date.min, notes)

    def authorization(self) -> Authorization | None:
        names = ("payer", "number", "visits", "valid_until")
        if not self._any("authorization", names):
            return None
        payer = self.text("authorization_payer", required=True, max_length=120)
        number = self.text("authorization_number", required=True, max_length=80)
        visits = self.required_number("authorization_visits", 1, 1000, "the visits authorized")
        valid_until = self.day("authorization_valid_until")
        return Authorization(payer, number, visits, valid_until or date.min)


def _unique(items: list[str]) -> list[str]:
    """The items without repeats (ignoring case), in their order."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.lower() not in seen:
            seen.add(item.lower())
            kept.append(item)
    return kept


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
    entered.prefill_nprs()
    form = AssessForm(entered)
    assessment = form.assessment()
    proposal = None
    try:
        if form.ok:
            validate_assessment(assessment)
        if action == "assessment_only":
            if (
                entered.text["intention"] != Intention.RELAXATION.value
                and visit.kind is not VisitKind.FOLLOW_UP
            ):
                return assess_page(
                    visit,
                    entered,
                    422,
                    errors=form.errors,
                    problem="A clinical assessment ends with a plan: propose one below, or choose "
                    "relaxation as the intention to record the assessment alone.",
                )
        else:
            proposal = form.proposal(visit, assessment)
    except InvalidValue as invalid:
        return assess_page(visit, entered, 422, errors=form.errors, problem=problem_text(invalid))
    if not form.ok:
        count = len(form.errors)
        return assess_page(
            visit,
            entered,
            422,
            errors=form.errors,
            problem=f"{count} {'answer needs' if count == 1 else 'answers need'} a change:",
        )
    try:
        regimen().assess_visit(
            visit_id, assessment, proposal=proposal, actor=current_account().actor, now=now()
        )
    except DomainError as refused:
        return assess_page(visit, entered, 409, errors=form.errors, problem=problem_text(refused))
    if proposal is None:
        flash("Assessment recorded.", "success")
    else:
        series = proposal.series
        every = "every day" if series.interval_days == 1 else f"every {series.interval_days} days"
        sessions = "1 session" if series.sessions == 1 else f"{series.sessions} sessions"
        flash(f"Plan proposed: {sessions} {every}.", "success")
    return redirect(f"/charts/{visit.client_id}")
