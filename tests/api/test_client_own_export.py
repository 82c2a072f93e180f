"""The client downloads their own record from their page: a FHIR R4 Bundle that validates,
names only them, and is logged as an export by the client."""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.values import Role
from service.http.client_limits import PER_CLIENT
from tests.api.helpers import Headers
from tests.api.test_client_export import resources, treated_client
from tests.api.test_visits_api import visit_body
from tests.builders import Clinic
from tests.fakes import FixedClock

API = "/api/v1"


def page_path(client: FlaskClient, clinic: Clinic, auth: Headers) -> str:
    """Cora's page, by a link the desk made."""
    made = client.post(f"{API}/clients/{clinic.client_id}/page-link", headers=auth["front_desk"])
    assert made.status_code in (200, 201), made.get_json()
    return str(made.get_json()["url"]).removeprefix("http://localhost")


def dans_visit(client: FlaskClient, clinic: Clinic, auth: Headers) -> str:
    """Dan's visit: another client's, which Cora's record must not hold."""
    made = client.post(
        f"{API}/visits",
        json={
            **visit_body(clinic, start="2026-05-12T10:00"),
            "client_id": str(clinic.other_client_id),
        },
        headers=auth["front_desk"],
    )
    assert made.status_code == 201, made.get_json()
    return str(made.get_json()["id"])


def test_the_clients_own_bundle_validates_and_names_only_them(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = treated_client(client, clinic, auth, clock)
    dans = dans_visit(client, clinic, auth)
    path = page_path(client, clinic, auth)
    assert "Download my record" in client.get(path).get_data(as_text=True)
    answer = client.get(f"{path}/record.json")
    assert answer.status_code == 200 and answer.mimetype == "application/fhir+json"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "attachment" in answer.headers["Content-Disposition"]
    bundle = json.loads(answer.get_data(as_text=True))
    Bundle.model_validate(bundle)  # raises on anything FHIR R4(B) does not allow
    [patient] = resources(bundle, "Patient")
    assert patient["name"] == [{"text": "Cora Client"}]
    body = answer.get_data(as_text=True)
    assert "Dan Client" not in body and str(clinic.other_client_id) not in body
    assert dans not in body
    assert len(resources(bundle, "Appointment")) == 5  # Cora's four sessions and her visit
    today = clock().date()
    [view] = [v for v in regimen.access_log(plan_id, today, today) if v.record == "export"]
    assert view.actor.role is Role.CLIENT and view.actor.user_id == str(clinic.client_id)


def test_a_bad_or_expired_link_downloads_nothing(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    path = page_path(client, clinic, auth)
    tampered = client.get(f"{path}x/record.json")
    assert tampered.status_code == 403 and "This link does not work" in tampered.get_data(
        as_text=True
    )
    clock.advance(days=91)
    assert client.get(f"{path}/record.json").status_code == 410


def test_downloads_count_against_the_clients_limit(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    path = page_path(client, clinic, auth)
    answers = [client.get(f"{path}/record.json").status_code for _ in range(PER_CLIENT.hits + 1)]
    assert answers[:-1] == [200] * PER_CLIENT.hits and answers[-1] == 429
