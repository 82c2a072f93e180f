"""A client's record exported as a FHIR R4 Bundle (validated with fhir.resources) or JSON."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from flask.testing import FlaskClient

from tests.api.helpers import Headers
from tests.api.test_progress_measures import NDI_16, NDI_20, neck_plan, treat
from tests.api.test_visits_api import visit_body
from tests.builders import Clinic
from tests.fakes import FixedClock

API = "/api/v1"


def export(
    client: FlaskClient, clinic: Clinic, auth: Headers, role: str, form: str = "fhir"
) -> Any:
    accept = "application/fhir+json" if form == "fhir" else "application/json"
    return client.get(
        f"{API}/clients/{clinic.client_id}/export", headers={**auth[role], "Accept": accept}
    )


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def treated_client(client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock) -> str:
    """Cora: a visit 60 days on, and a neck plan with two sessions done, one booked, one
    cancelled."""
    plan_id = neck_plan(client, clinic, auth)
    treat(client, plan_id, auth, clock, [0, 7], [NDI_20, NDI_16])
    for start in ("2026-03-30T10:00", "2026-04-06T10:00"):
        booked = client.post(
            f"{API}/plans/{plan_id}/sessions",
            json={"start": start, "timezone": "Europe/London"},
            headers=auth["front_desk"],
        )
        assert booked.status_code == 201, booked.get_json()
    cancelled = client.post(
        f"{API}/plans/{plan_id}/sessions/4/cancel",
        json={"reason": "away"},
        headers=auth["front_desk"],
    )
    assert cancelled.status_code == 200, cancelled.get_json()
    visit = client.post(
        f"{API}/visits",
        json=visit_body(clinic, start="2026-05-11T10:00"),
        headers=auth["front_desk"],
    )
    assert visit.status_code == 201, visit.get_json()
    return plan_id


def test_the_bundle_validates_and_holds_every_session_once_with_its_status(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    treated_client(client, clinic, auth, clock)
    answer = export(client, clinic, auth, "therapist")
    assert answer.status_code == 200 and answer.mimetype == "application/fhir+json"
    bundle = answer.get_json()
    Bundle.model_validate(bundle)  # raises on anything FHIR R4(B) does not allow
    [patient] = resources(bundle, "Patient")
    assert patient["name"] == [{"text": "Cora Client"}]
    appointments = resources(bundle, "Appointment")
    assert Counter(a["status"] for a in appointments) == {
        "fulfilled": 2,
        "booked": 2,  # session 3 and the visit
        "cancelled": 1,
    }
    assert len({a["id"] for a in appointments}) == 5
    assert len(resources(bundle, "Encounter")) == 2
    pains = [
        o
        for o in resources(bundle, "Observation")
        if o["code"].get("coding", [{}])[0].get("code") == "72514-3"
    ]
    assert len(pains) == 4  # before and after each performed session
    [care_plan] = resources(bundle, "CarePlan")
    assert care_plan["activity"][0]["detail"]["scheduledTiming"]["repeat"]["period"] == 7
    # No prescription, no diagnosis: the one Condition is the plan's complaint.
    [complaint] = care_plan["addresses"]
    [condition] = resources(bundle, "Condition")
    assert complaint["reference"] == f"urn:uuid:{condition['id']}"
    assert condition["code"] == {"text": "stiff neck"}


def test_outcome_measures_are_observations_the_baseline_without_an_encounter(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    treated_client(client, clinic, auth, clock)
    bundle = export(client, clinic, auth, "therapist").get_json()
    measures = [o for o in resources(bundle, "Observation") if "valueQuantity" in o]
    baseline = [o for o in measures if o["code"]["text"].endswith("(baseline)")]
    assert len(measures) == 3 and len(baseline) == 1  # the assessment's and two sessions'
    assert "encounter" not in baseline[0]
    assert all("encounter" in o for o in measures if o not in baseline)
    assert [o["valueQuantity"]["unit"] for o in measures] == ["of 50"] * 3


def test_ids_are_the_same_at_every_export(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    treated_client(client, clinic, auth, clock)
    first, again = (export(client, clinic, auth, "admin").get_json() for _ in range(2))
    ids = [{e["resource"]["id"] for e in b["entry"]} for b in (first, again)]
    assert ids[0] == ids[1]


def test_json_holds_the_plans_and_visits_as_the_api_shows_them(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = treated_client(client, clinic, auth, clock)
    document = export(client, clinic, auth, "therapist", "json").get_json()
    assert [p["id"] for p in document["plans"]] == [plan_id]
    assert len(document["visits"]) == 1 and document["client"]["name"] == "Cora Client"


def test_the_desk_and_other_therapists_may_not_export(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    treated_client(client, clinic, auth, clock)
    assert export(client, clinic, auth, "front_desk").status_code == 403
    other = client.get(f"{API}/clients/{clinic.other_client_id}/export", headers=auth["therapist"])
    assert other.status_code == 403
