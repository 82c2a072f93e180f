"""A client's whole record as a FHIR R4 Bundle, for the client or a referring physician to
take elsewhere.

One `collection` Bundle: the Patient; a Condition per distinct ICD-10 diagnosis code of
the plans' prescriptions (service/reports/fhir_diagnoses.py); per plan a Condition (the
complaint), a CarePlan addressing it and the plan's diagnoses (proposed plans are `intent:
proposal`, agreed ones `plan`; the series as the activity's `scheduledTiming`), a
ServiceRequest for a physician's prescription, its reasons the diagnoses, and a Coverage
for an insurer's authorization; per visit a Condition for its complaint once assessed; per
session or visit an Appointment (booked, fulfilled, cancelled, noshow), an Encounter for
each one performed, and an Observation for each pain score and outcome measure. Ids are
stable: derived from the record's own id and what the resource stands for, so a second
export names the same things the same way. Pure: records in, a JSON-ready dict out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.values import Authorization, PlanStatus, Prescription
from service.domain.visit import Visit
from service.reports.fhir_diagnoses import diagnosis_conditions, diagnosis_references
from service.reports.fhir_sessions import (
    appointment_resources,
    measure_observation,
    reference,
    stable_id,
)

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


def client_bundle(record: ClientRecord, made_at: datetime) -> dict[str, Any]:
    """The client's record as a FHIR R4 `collection` Bundle."""
    patient_id = stable_id("patient", record.client_id)
    resources = [_patient(patient_id, record.client)]
    resources.extend(
        diagnosis_conditions(record.client_id, record.plans, reference("Patient", patient_id))
    )
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
    """The plan's Condition and CarePlan, its prescription and authorization if any, its
    baseline measures, and each session's resources."""
    patient = reference("Patient", patient_id)
    therapist = names.get(plan.therapist_id, "")
    condition_id = stable_id("condition", plan.id)
    care_plan_id = stable_id("careplan", plan.id)
    diagnoses = diagnosis_references(plan)
    found = [
        {
            "resourceType": "Condition",
            "id": condition_id,
            "subject": patient,
            "code": {"text": plan.assessment.complaint},
            "note": [{"text": _assessment_text(plan)}],
        },
        _care_plan(
            plan,
            care_plan_id,
            patient,
            therapist,
            [reference("Condition", condition_id), *diagnoses],
        ),
    ]
    if plan.prescription is not None:
        found.append(_service_request(plan.id, plan.prescription, patient, diagnoses))
    if plan.authorization is not None:
        found.append(_coverage(plan.id, plan.authorization, patient))
    baseline_at = plan.created_on.isoformat()
    for answers in plan.assessment.measures:
        found.append(
            measure_observation(plan.id, 0, answers, "baseline", patient, None, baseline_at)
        )
    for session in plan.sessions:
        found.extend(
            appointment_resources(
                plan.id, session, patient, therapist, care_plan_id, f"Session {session.number}"
            )
        )
    return found


def _care_plan(
    plan: TreatmentPlan,
    care_plan_id: str,
    patient: dict[str, str],
    therapist: str,
    addresses: list[dict[str, str]],
) -> dict[str, Any]:
    """The plan as a CarePlan addressing the complaint and the prescription's diagnoses:
    proposed plans are proposals; the series is its timing."""
    series = plan.series
    return {
        "resourceType": "CarePlan",
        "id": care_plan_id,
        "status": CARE_PLAN_STATUS[plan.status],
        "intent": "proposal" if plan.status is PlanStatus.PROPOSED else "plan",
        "subject": patient,
        "title": f"{plan.intention.value.capitalize()}: {', '.join(plan.focus_areas)}",
        "addresses": addresses,
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
    }


def _service_request(
    plan_id: UUID,
    prescription: Prescription,
    patient: dict[str, str],
    diagnoses: list[dict[str, str]],
) -> dict[str, Any]:
    """A physician's prescription as a ServiceRequest, for the diagnoses it names."""
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": stable_id("servicerequest", plan_id),
        "status": "active",
        "intent": "order",
        "subject": patient,
        "code": {"text": "massage therapy"},
        "authoredOn": prescription.issued_on.isoformat(),
        "requester": {"display": prescription.physician},
        "note": [{"text": prescription.notes}] if prescription.notes else [],
    }
    if diagnoses:
        request["reasonReference"] = diagnoses
    return request


def _coverage(plan_id: UUID, auth: Authorization, patient: dict[str, str]) -> dict[str, Any]:
    """An insurer's authorization as a Coverage."""
    return {
        "resourceType": "Coverage",
        "id": stable_id("coverage", plan_id),
        "status": "active",
        "beneficiary": patient,
        "payor": [{"display": auth.payer}],
        "subscriberId": auth.number,
        "period": {"end": auth.valid_until.isoformat()},
    }


def _visit_resources(visit: Visit, patient_id: str, names: dict[UUID, str]) -> list[dict[str, Any]]:
    patient = reference("Patient", patient_id)
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
    found.extend(appointment_resources(visit.id, visit.session, patient, therapist, None, what))
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
