"""A client's whole record as a FHIR R4 Bundle, for the client or a referring physician to
take elsewhere.

One `collection` Bundle: the Patient; per plan a Condition (the complaint), a CarePlan
(proposed plans are `intent: proposal`, agreed ones `plan`; the series as the activity's
`scheduledTiming`), a ServiceRequest for a physician's prescription and a Coverage for an
insurer's authorization; per visit a Condition for its complaint once assessed; per
session or visit an Appointment (booked, fulfilled, cancelled, noshow), an Encounter for
each one performed, and an Observation for each pain score and outcome measure. Ids are
stable: derived from the record's own id and what the resource stands for, so a second
export names the same things the same way. Pure: records in, a JSON-ready dict out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from service.domain.client import Client
from service.domain.measures import TITLES, MeasureAnswers, score
from service.domain.plan import TreatmentPlan
from service.domain.values import PlanStatus, Session, SessionStatus
from service.domain.visit import Visit

LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"  # Pain severity - 0-10 verbal numeric rating [Score] - Reported
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
APPOINTMENT_STATUS = {
    SessionStatus.BOOKED: "booked",
    SessionStatus.PERFORMED: "fulfilled",
    SessionStatus.CANCELLED: "cancelled",
    SessionStatus.MISSED: "noshow",
}
ACTIVITY_STATUS = {
    PlanStatus.PROPOSED: "not-started",
    PlanStatus.AGREED: "in-progress",
    PlanStatus.COMPLETED: "completed",
    PlanStatus.CANCELLED: "cancelled",
}
CARE_PLAN_STATUS = {
    PlanStatus.PROPOSED: "draft",
    PlanStatus.AGREED: "active",
    PlanStatus.COMPLETED: "completed",
    PlanStatus.CANCELLED: "revoked",
}


@dataclass(frozen=True)
class ClientRecord:
    """Everything of one client the export holds."""

    client_id: UUID
    client: Client
    plans: tuple[TreatmentPlan, ...]
    visits: tuple[Visit, ...]
    therapist_names: dict[UUID, str]


def stable_id(*parts: object) -> str:
    """A resource id that is the same at every export of the same thing."""
    return str(uuid5(NAMESPACE_URL, "regimen:" + ":".join(str(p) for p in parts)))


def client_bundle(record: ClientRecord, made_at: datetime) -> dict[str, Any]:
    """The client's record as a FHIR R4 `collection` Bundle."""
    patient_id = stable_id("patient", record.client_id)
    resources = [_patient(patient_id, record.client)]
    for plan in record.plans:
        resources.extend(_plan_resources(plan, patient_id, record.therapist_names))
    for visit in record.visits:
        resources.extend(_visit_resources(visit, patient_id, record.therapist_names))
    return {
        "resourceType": "Bundle",
        "id": stable_id("bundle", record.client_id, made_at.isoformat()),
        "type": "collection",
        "timestamp": made_at.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def _ref(kind: str, resource_id: str, display: str = "") -> dict[str, str]:
    found = {"reference": f"urn:uuid:{resource_id}", "type": kind}
    return {**found, "display": display} if display else found


def _patient(patient_id: str, client: Client) -> dict[str, Any]:
    telecom = [
        {"system": system, "value": value}
        for system, value in (("email", client.email), ("phone", client.phone))
        if value
    ]
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    patient["name"] = [{"text": client.name}]
    if telecom:
        patient["telecom"] = telecom
    return patient


def _plan_resources(
    plan: TreatmentPlan, patient_id: str, names: dict[UUID, str]
) -> list[dict[str, Any]]:
    patient = _ref("Patient", patient_id)
    therapist = names.get(plan.therapist_id, "")
    condition_id = stable_id("condition", plan.id)
    care_plan_id = stable_id("careplan", plan.id)
    series = plan.series
    found: list[dict[str, Any]] = [
        {
            "resourceType": "Condition",
            "id": condition_id,
            "subject": patient,
            "code": {"text": plan.assessment.complaint},
            "note": [{"text": _assessment_text(plan)}],
        },
        {
            "resourceType": "CarePlan",
            "id": care_plan_id,
            "status": CARE_PLAN_STATUS[plan.status],
            "intent": "proposal" if plan.status is PlanStatus.PROPOSED else "plan",
            "subject": patient,
            "title": f"{plan.intention.value.capitalize()}: {', '.join(plan.focus_areas)}",
            "addresses": [_ref("Condition", condition_id)],
            "description": plan.expected_progress or f"{series.sessions} sessions",
            "activity": [
                {
                    "detail": {
                        "status": ACTIVITY_STATUS[plan.status],
                        "code": {"text": ", ".join(plan.modalities)},
                        "scheduledTiming": {
                            "repeat": {
                                "count": series.sessions,
                                "frequency": 1,
                                "period": series.interval_days,
                                "periodUnit": "d",
                                "duration": series.session_minutes,
                                "durationUnit": "min",
                            }
                        },
                        "performer": [{"display": therapist}] if therapist else [],
                    }
                }
            ],
        },
    ]
    if plan.prescription is not None:
        found.append(
            {
                "resourceType": "ServiceRequest",
                "id": stable_id("servicerequest", plan.id),
                "status": "active",
                "intent": "order",
                "subject": patient,
                "code": {"text": "massage therapy"},
                "authoredOn": plan.prescription.issued_on.isoformat(),
                "requester": {"display": plan.prescription.physician},
                "note": [{"text": plan.prescription.notes}] if plan.prescription.notes else [],
            }
        )
    if plan.authorization is not None:
        auth = plan.authorization
        found.append(
            {
                "resourceType": "Coverage",
                "id": stable_id("coverage", plan.id),
                "status": "active",
                "beneficiary": patient,
                "payor": [{"display": auth.payer}],
                "subscriberId": auth.number,
                "period": {"end": auth.valid_until.isoformat()},
            }
        )
    baseline_at = plan.created_on.isoformat()
    for answers in plan.assessment.measures:
        scored = score(answers)
        found.append(
            _observation(
                stable_id("measure", plan.id, 0, answers.instrument.value),
                {"text": f"{TITLES[answers.instrument]} (baseline)"},
                {"valueQuantity": {"value": scored.value, "unit": f"of {scored.scale_max:g}"}},
                patient,
                None,
                baseline_at,
            )
        )
    for session in plan.sessions:
        found.extend(
            _appointment(
                plan.id, session, patient, therapist, care_plan_id, f"Session {session.number}"
            )
        )
    return found


def _visit_resources(visit: Visit, patient_id: str, names: dict[UUID, str]) -> list[dict[str, Any]]:
    patient = _ref("Patient", patient_id)
    therapist = names.get(visit.session.therapist_id, "")
    found: list[dict[str, Any]] = []
    if visit.assessment is not None:
        found.append(
            {
                "resourceType": "Condition",
                "id": stable_id("condition", visit.id),
                "subject": patient,
                "code": {"text": visit.assessment.complaint},
            }
        )
    what = f"{visit.kind.value.replace('-', ' ').capitalize()} visit"
    found.extend(_appointment(visit.id, visit.session, patient, therapist, None, what))
    return found


def _appointment(
    record_id: UUID,
    session: Session,
    patient: dict[str, str],
    therapist: str,
    care_plan_id: str | None,
    what: str,
) -> list[dict[str, Any]]:
    appointment_id = stable_id("appointment", record_id, session.number)
    participants: list[dict[str, Any]] = [{"actor": patient, "status": "accepted"}]
    if therapist:
        participants.append({"actor": {"display": therapist}, "status": "accepted"})
    appointment: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": appointment_id,
        "status": APPOINTMENT_STATUS[session.status],
        "description": what,
        "start": session.time.start.isoformat(),
        "end": session.time.end.isoformat(),
        "minutesDuration": session.time.minutes,
        "participant": participants,
    }
    if care_plan_id is not None:
        appointment["basedOn"] = [_ref("CarePlan", care_plan_id)]
    found = [appointment]
    if session.status is not SessionStatus.PERFORMED:
        return found
    encounter_id = stable_id("encounter", record_id, session.number)
    found.append(
        {
            "resourceType": "Encounter",
            "id": encounter_id,
            "status": "finished",
            "class": {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"},
            "subject": patient,
            "appointment": [_ref("Appointment", appointment_id)],
            "period": {
                "start": session.time.start.isoformat(),
                "end": session.time.end.isoformat(),
            },
        }
    )
    found.extend(_observations(record_id, session, patient, encounter_id))
    return found


def _observations(
    record_id: UUID, session: Session, patient: dict[str, str], encounter_id: str
) -> Iterable[dict[str, Any]]:
    when = session.time.end.isoformat()
    pains = []
    if session.performance is not None:
        pains.append(("before", session.performance.pain_before))
    if session.evaluation is not None:
        pains.append(("after", session.evaluation.pain_after))
    for moment, pain in pains:
        yield _observation(
            stable_id("pain", record_id, session.number, moment),
            {
                "coding": [{"system": LOINC, "code": PAIN_LOINC}],
                "text": f"Pain {moment} the session (0-10)",
            },
            {"valueInteger": pain},
            patient,
            encounter_id,
            when,
        )
    measures: tuple[MeasureAnswers, ...] = (
        session.evaluation.measures if session.evaluation is not None else ()
    )
    for answers in measures:
        scored = score(answers)
        yield _observation(
            stable_id("measure", record_id, session.number, answers.instrument.value),
            {"text": TITLES[answers.instrument]},
            {"valueQuantity": {"value": scored.value, "unit": f"of {scored.scale_max:g}"}},
            patient,
            encounter_id,
            when,
        )


def _observation(
    observation_id: str,
    code: dict[str, Any],
    value: dict[str, Any],
    patient: dict[str, str],
    encounter_id: str | None,
    when: str,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "code": code,
        "subject": patient,
        "effectiveDateTime": when,
        **value,
    }
    if encounter_id is not None:
        found["encounter"] = _ref("Encounter", encounter_id)
    return found


def _assessment_text(plan: TreatmentPlan) -> str:
    a = plan.assessment
    parts = [
        f"{a.duration}, {a.onset} onset" if a.duration else a.onset,
        f"pain {a.pain_level}/10" + (f", {a.pain_description}" if a.pain_description else ""),
        a.posture,
        a.tissue,
    ]
    return "; ".join(p for p in parts if p)
