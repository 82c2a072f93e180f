"""The prescriptions' ICD-10 diagnosis codes in the FHIR export: one Condition per distinct
code, addressed by each plan's CarePlan and given as its ServiceRequest's reasons; none
for a plan without codes, and none once the client is erased. On SQLite and PostgreSQL,
with a cipher key (erasure needs one)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from flask.testing import FlaskClient

from service.config import Settings
from service.reports.fhir_diagnoses import ICD10_CM
from service.reports.fhir_sessions import stable_id
from tests.api.helpers import Headers, proposal_body
from tests.api.test_client_export import export, resources
from tests.api.test_client_own_export import page_path
from tests.builders import Clinic
from tests.conftest import SHARED_BACKENDS, database_url_for

API = "/api/v1"
KEY = AESCipher.create_key(32)


@pytest.fixture(params=SHARED_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite file, or a fresh PostgreSQL schema."""
    yield from database_url_for(request.param, tmp_path)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """A keyed store, so that the client can be erased."""
    return Settings(
        database_url=database_url,
        cipher_key=KEY,
        outbox_dir=str(tmp_path / "outbox"),
        public_url="http://localhost",
    )


def prescribed_plan(
    client: FlaskClient, auth: Headers, clinic: Clinic, issued_on: str, codes: list[str]
) -> str:
    """A plan for Cora prescribed by Dr Haddad on that day, naming those codes."""
    prescription = {"physician": "Dr Amal Haddad", "issued_on": issued_on}
    body = proposal_body(clinic, prescription={**prescription, "diagnosis_codes": codes})
    proposed = client.post(f"{API}/plans", json=body, headers=auth["therapist"])
    assert proposed.status_code == 201, proposed.get_json()
    return str(proposed.get_json()["id"])


def three_plans(client: FlaskClient, auth: Headers, clinic: Clinic) -> tuple[str, str, str]:
    """Cora's neck plan (agreed; M54.2 and M62.838), her earlier whiplash plan (cancelled;
    the same muscle spasm written as m62838, and S13.4XXA), and a plan whose prescription
    names no code."""
    neck = prescribed_plan(client, auth, clinic, "2026-03-02", ["M54.2", "M62.838"])
    agreed = client.post(f"{API}/plans/{neck}/agree", json={}, headers=auth["front_desk"])
    assert agreed.status_code == 200, agreed.get_json()
    whiplash = prescribed_plan(client, auth, clinic, "2026-02-20", ["m62838", "S13.4XXA"])
    cancelled = client.post(
        f"{API}/plans/{whiplash}/cancel", json={"reason": "merged"}, headers=auth["front_desk"]
    )
    assert cancelled.status_code == 200, cancelled.get_json()
    uncoded = prescribed_plan(client, auth, clinic, "2026-03-01", [])
    return neck, whiplash, uncoded


def diagnoses(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The bundle's ICD-10-CM Conditions by code."""
    return {
        coding["code"]: condition
        for condition in resources(bundle, "Condition")
        for coding in condition["code"].get("coding", [])
        if coding["system"] == ICD10_CM
    }


def plan_resources(bundle: dict[str, Any], plan_id: str) -> tuple[dict[str, Any], ...]:
    """The plan's CarePlan and ServiceRequest (their ids derive from the plan's)."""
    by_id = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    return by_id[stable_id("careplan", plan_id)], by_id[stable_id("servicerequest", plan_id)]


def urls(conditions: list[dict[str, Any]]) -> list[str]:
    """How the bundle's references name these Conditions."""
    return [f"urn:uuid:{c['id']}" for c in conditions]


def test_each_distinct_code_is_one_icd10_condition_of_the_patient(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    three_plans(client, auth, clinic)
    answer = export(client, clinic, auth, "admin")
    assert answer.status_code == 200, answer.get_json()
    parsed = Bundle.model_validate_json(answer.get_data())  # raises on anything R4B refuses
    read_back = {
        coding.code
        for entry in parsed.entry
        if isinstance(entry.resource, Condition)
        for coding in entry.resource.code.coding or []
        if coding.system == ICD10_CM
    }
    assert read_back == {"M54.2", "M62.838", "S13.4XXA"}  # m62838 is M62.838 again
    bundle = answer.get_json()
    coded = diagnoses(bundle)
    assert len(coded) == 3
    [patient] = resources(bundle, "Patient")
    assert {c["subject"]["reference"] for c in coded.values()} == {f"urn:uuid:{patient['id']}"}
    assert coded["M62.838"]["recordedDate"] == "2026-02-20"  # the earlier prescription
    assert coded["M54.2"]["recordedDate"] == "2026-03-02"
    assert {c["verificationStatus"]["coding"][0]["code"] for c in coded.values()} == {"confirmed"}
    assert coded["M62.838"]["clinicalStatus"]["coding"][0]["code"] == "active"  # neck agreed
    assert "clinicalStatus" not in coded["S13.4XXA"]  # only its cancelled plan names it


def test_each_plan_addresses_its_diagnoses_and_its_prescription_gives_them_as_reasons(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    neck, whiplash, uncoded = three_plans(client, auth, clinic)
    bundle = export(client, clinic, auth, "admin").get_json()
    coded = diagnoses(bundle)
    care_plan, request = plan_resources(bundle, neck)
    assert [a["reference"] for a in care_plan["addresses"][1:]] == urls(
        [coded["M54.2"], coded["M62.838"]]
    )
    assert [r["reference"] for r in request["reasonReference"]] == urls(
        [coded["M54.2"], coded["M62.838"]]
    )
    care_plan, _ = plan_resources(bundle, whiplash)
    assert [a["reference"] for a in care_plan["addresses"][1:]] == urls(
        [coded["M62.838"], coded["S13.4XXA"]]
    )
    care_plan, request = plan_resources(bundle, uncoded)
    [complaint] = care_plan["addresses"]  # a plan without codes addresses its complaint only
    assert complaint["reference"] not in urls(list(coded.values()))
    assert "reasonReference" not in request
    in_bundle = {e["fullUrl"] for e in bundle["entry"]}
    for care_plan in resources(bundle, "CarePlan"):
        assert {a["reference"] for a in care_plan["addresses"]} <= in_bundle


def test_the_diagnoses_keep_their_ids_at_every_export(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    three_plans(client, auth, clinic)
    first, again = (diagnoses(export(client, clinic, auth, "admin").get_json()) for _ in "12")
    assert len(first) == 3
    assert {c: d["id"] for c, d in first.items()} == {c: d["id"] for c, d in again.items()}


def test_a_client_without_coded_prescriptions_exports_no_diagnosis(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    uncoded = prescribed_plan(client, auth, clinic, "2026-03-01", [])
    bundle = export(client, clinic, auth, "admin").get_json()
    Bundle.model_validate(bundle)
    assert diagnoses(bundle) == {}
    assert len(resources(bundle, "Condition")) == 1  # the plan's complaint
    care_plan, request = plan_resources(bundle, uncoded)
    assert len(care_plan["addresses"]) == 1 and "reasonReference" not in request


def test_the_clients_own_download_holds_their_diagnoses(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    three_plans(client, auth, clinic)
    answer = client.get(f"{page_path(client, clinic, auth)}/record.json")
    assert answer.status_code == 200
    bundle = json.loads(answer.get_data(as_text=True))
    Bundle.model_validate(bundle)
    assert sorted(diagnoses(bundle)) == ["M54.2", "M62.838", "S13.4XXA"]


def test_an_erased_clients_export_holds_no_diagnosis(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    three_plans(client, auth, clinic)
    assert len(diagnoses(export(client, clinic, auth, "admin").get_json())) == 3
    erased = client.post(
        f"{API}/clients/{clinic.client_id}/erasure",
        json={"override_reason": "court order 114: erase now"},
        headers=auth["admin"],
    )
    assert erased.status_code == 200, erased.get_json()
    answer = export(client, clinic, auth, "admin")
    assert answer.status_code == 200, answer.get_json()
    bundle = answer.get_json()
    Bundle.model_validate(bundle)
    assert diagnoses(bundle) == {}
    body = answer.get_data(as_text=True)
    assert not any(code in body for code in ("M54.2", "M62.838", "m62838", "S13.4XXA"))
    assert all("reasonReference" not in r for r in resources(bundle, "ServiceRequest"))
    assert all(len(c["addresses"]) == 1 for c in resources(bundle, "CarePlan"))
