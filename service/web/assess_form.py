"""Reading the assess-and-propose form into the assessment and the plan proposal, each
problem kept beside its field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from service.domain.body_regions import chart_choice
from service.domain.errors import InvalidValue
from service.domain.proposal import PlanProposal
from service.domain.rules import (
    MAX_INTERVAL_DAYS,
    MAX_SERIES_SESSIONS,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    ROM_SIDES,
    check_diagnosis_codes,
)
from service.domain.values import (
    Assessment,
    Authorization,
    Intention,
    Prescription,
    RangeOfMotion,
    Referral,
    SeriesSpec,
)
from service.domain.visit import Visit
from service.web.assess_entered import ROM_FIELDS, Entered, split_items
from service.web.clinical_access import my_therapist_id
from service.web.forms import Form
from service.web.measure_fields import read_measures


class AssessForm(Form):
    """Reads the entered values into domain values; problems are kept by field."""

    def __init__(self, entered: Entered, payers: Mapping[UUID, str] | None = None) -> None:
        super().__init__(entered.text)
        self.entered = entered
        self.payers = payers or {}  # the registered payers an authorization may name

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
        areas = chart_choice([*self.entered.lists["focus_areas"], *split_items(other_areas)]).areas
        if not areas:
            self.errors["focus_areas"] = "Mark at least one area on the body chart."
        other_modalities = self.text("other_modalities", max_length=500)
        modalities = _unique([*self.entered.lists["modalities"], *split_items(other_modalities)])
        if not modalities:
            self.errors["modalities"] = "Choose at least one modality, or name one."
        other_home_care = self.text("other_home_care", max_length=500)
        adjuncts = _unique([*self.entered.lists["home_care"], *split_items(other_home_care)])
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
        names = ("physician", "issued_on", "notes", "diagnosis_codes")
        if not self._any("prescription", names):
            return None
        physician = self.text("prescription_physician", required=True, max_length=120)
        issued_on = self.day("prescription_issued_on")
        notes = self.text("prescription_notes", max_length=1000, multiline=True)
        codes = self.diagnosis_codes()
        return Prescription(physician, issued_on or date.min, notes, codes)

    def diagnosis_codes(self) -> tuple[str, ...]:
        """ICD-10 codes separated by commas or spaces, kept as written."""
        written = self.text("prescription_diagnosis_codes", max_length=200)
        codes = tuple(written.replace(",", " ").replace(";", " ").split())
        try:
            check_diagnosis_codes(codes)
        except InvalidValue as problem:
            said = str(problem)
            self.errors["prescription_diagnosis_codes"] = f"{said[:1].upper()}{said[1:]}."
        return codes

    def authorization(self) -> Authorization | None:
        names = ("payer", "number", "visits", "valid_until", "payer_id", "units")
        if not self._any("authorization", names):
            return None
        payer_id = self.uuid("authorization_payer_id")
        if payer_id is not None and payer_id not in self.payers:
            self.errors["authorization_payer_id"] = "Choose one from the list."
        registered = self.payers.get(payer_id) if payer_id else None
        payer = registered or self.text("authorization_payer", required=True, max_length=120)
        number = self.text("authorization_number", required=True, max_length=80)
        # A registered payer's terms say whether visits are given (see check_authorization_terms).
        visits: int | None = (
            self.number("authorization_visits", 1, 1000, 0) or None
            if registered
            else self.required_number("authorization_visits", 1, 1000, "the visits authorized")
        )
        units = self.number("authorization_units", 1, 10000, 0) or None
        valid_until = self.day("authorization_valid_until")
        return Authorization(payer, number, visits, valid_until or date.min, payer_id, units)


def _unique(items: list[str]) -> list[str]:
    """The items without repeats (ignoring case), in their order."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.lower() not in seen:
            seen.add(item.lower())
            kept.append(item)
    return kept
