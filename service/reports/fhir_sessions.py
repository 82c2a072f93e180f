"""A session's or a visit's FHIR resources: its Appointment, the Encounter of one performed,
and the Observations of its pain scores and outcome measures; and the stable ids and
references every FHIR resource of the export uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from service.domain.measures import TITLES, MeasureAnswers, score
from service.domain.values import Session, SessionStatus

LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"  # Pain severity - 0-10 verbal numeric rating [Score] - Reported
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
APPOINTMENT_STATUS = {
    SessionStatus.BOOKED: "booked",
    SessionStatus.PERFORMED: "fulfilled",
    SessionStatus.CANCELLED: "cancelled",
    SessionStatus.MISSED: "noshow",
}


def stable_id(*parts: object) -> str:
    """A resource id that is the same at every export of the same thing."""
    return str(uuid5(NAMESPACE_URL, "regimen:" + ":".join(str(p) for p in parts)))


def reference(kind: str, resource_id: str, display: str = "") -> dict[str, str]:
    """A reference to another resource of the Bundle."""
    found = {"reference": f"urn:uuid:{resource_id}", "type": kind}
    return {**found, "display": display} if display else found


def appointment_resources(
    record_id: UUID,
    session: Session,
    patient: dict[str, str],
    therapist: str,
    care_plan_id: str | None,
    what: str,
) -> list[dict[str, Any]]:
    """The session's Appointment and, once performed, its Encounter and Observations."""
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
        appointment["basedOn"] = [reference("CarePlan", care_plan_id)]
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
            "appointment": [reference("Appointment", appointment_id)],
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
        yield observation(
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
        yield measure_observation(
            record_id, session.number, answers, "", patient, encounter_id, when
        )


def measure_observation(
    record_id: UUID,
    number: int,
    answers: MeasureAnswers,
    note: str,
    patient: dict[str, str],
    encounter_id: str | None,
    when: str,
) -> dict[str, Any]:
    """An outcome measure's score as an Observation (session 0 is the plan's baseline)."""
    scored = score(answers)
    title = TITLES[answers.instrument]
    return observation(
        stable_id("measure", record_id, number, answers.instrument.value),
        {"text": f"{title} ({note})" if note else title},
        {"valueQuantity": {"value": scored.value, "unit": f"of {scored.scale_max:g}"}},
        patient,
        encounter_id,
        when,
    )


def observation(
    observation_id: str,
    code: dict[str, Any],
    value: dict[str, Any],
    patient: dict[str, str],
    encounter_id: str | None,
    when: str,
) -> dict[str, Any]:
    """A final Observation of the patient, of an encounter if there was one."""
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
        found["encounter"] = reference("Encounter", encounter_id)
    return found
