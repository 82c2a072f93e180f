"""The ICD-10 diagnosis codes of a client's prescriptions as FHIR Conditions: one Condition
per distinct code across the client's plans, which each plan's CarePlan (`addresses`) and
ServiceRequest (`reasonReference`) refer to.

The codes are kept as the physician wrote them (service/domain/rules.py: the dot optional,
any case), so `m545` and `M54.5` are one diagnosis, exported as ICD-10-CM writes it. The
Condition is `confirmed` (a physician's diagnosis, not the clinic's) and `active` while a
plan naming it is proposed or agreed; once every such plan is completed or cancelled its
clinical status is left out, since the end of a course of massage says nothing of whether
the condition resolved. `recordedDate` is the earliest prescription naming it. A
prescription is a client's personal data: an erased client's plans have none, so their
export has no diagnoses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from service.domain.plan import TreatmentPlan
from service.domain.values import PlanStatus
from service.reports.fhir_sessions import reference, stable_id

ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
CLINICAL_STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION_STATUS = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OPEN = (PlanStatus.PROPOSED, PlanStatus.AGREED)


def icd10_cm(code: str) -> str:
    """The code as ICD-10-CM writes it: upper case, a dot after the three-character
    category (M545 and m54.5 are both M54.5)."""
    bare = code.upper().replace(".", "")
    return f"{bare[:3]}.{bare[3:]}" if len(bare) > 3 else bare


def plan_diagnoses(plan: TreatmentPlan) -> tuple[str, ...]:
    """The plan's prescription's diagnosis codes, as ICD-10-CM writes them (none without a
    prescription)."""
    if plan.prescription is None:
        return ()
    return tuple(icd10_cm(code) for code in plan.prescription.diagnosis_codes)


def diagnosis_references(plan: TreatmentPlan) -> list[dict[str, str]]:
    """References to the Conditions of the plan's diagnosis codes."""
    return [
        reference("Condition", _diagnosis_id(plan.client_id, code)) for code in plan_diagnoses(plan)
    ]


def diagnosis_conditions(
    client_id: UUID, plans: Iterable[TreatmentPlan], patient: dict[str, str]
) -> list[dict[str, Any]]:
    """One Condition per distinct diagnosis code of the plans, in the order they first
    appear."""
    naming: dict[str, list[TreatmentPlan]] = {}
    for plan in plans:
        for code in plan_diagnoses(plan):
            naming.setdefault(code, []).append(plan)
    return [_condition(client_id, code, found, patient) for code, found in naming.items()]


def _condition(
    client_id: UUID, code: str, plans: list[TreatmentPlan], patient: dict[str, str]
) -> dict[str, Any]:
    condition: dict[str, Any] = {"resourceType": "Condition", "id": _diagnosis_id(client_id, code)}
    if any(plan.status in OPEN for plan in plans):
        condition["clinicalStatus"] = {"coding": [{"system": CLINICAL_STATUS, "code": "active"}]}
    condition["verificationStatus"] = {
        "coding": [{"system": VERIFICATION_STATUS, "code": "confirmed"}]
    }
    condition["code"] = {"coding": [{"system": ICD10_CM, "code": code}], "text": code}
    condition["subject"] = patient
    issued = [plan.prescription.issued_on for plan in plans if plan.prescription is not None]
    condition["recordedDate"] = min(issued).isoformat()
    return condition


def _diagnosis_id(client_id: UUID, code: str) -> str:
    return stable_id("diagnosis", client_id, code)
