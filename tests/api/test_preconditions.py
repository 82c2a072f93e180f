"""ETag on single resources and If-Match on writes to them: stale is 412, and nothing is written."""

from __future__ import annotations

import contextvars
from typing import Any, NamedTuple
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.adapters.preconditions import PreconditionFailed, expecting
from service.api.resources import Resources
from service.application import Regimen
from service.domain.plan import TreatmentPlan
from service.domain.values import Referral
from tests.api.helpers import Headers, Refuse, assert_problem, at, writes_nothing
from tests.builders import THERAPIST, Clinic
from tests.fakes import FixedClock

HOURS = {"hours": [{"weekday": 0, "start": "09:00", "end": "17:00"}]}
CLINIC = {
    "name": "Test Clinic",
    "timezone": "Europe/London",
    "opening_hours": [{"weekday": 0, "start": "08:00", "end": "20:00"}],
}
CLIENT, PLAN = "/api/v1/clients/{client_id}", "/api/v1/plans/{plan_id}"
THERAPIST_URL = "/api/v1/therapists/{therapist_id}"


class Write(NamedTuple):
    """A write to one kind of resource: who sends it, how, and where the resource is read."""

    role: str
    method: str
    path: str
    body: dict[str, Any]
    read: str


WRITES = [
    Write("front_desk", "PATCH", CLIENT, {"phone": "07700 900123"}, CLIENT),
    Write("admin", "PUT", "/api/v1/clinic", CLINIC, "/api/v1/clinic"),
    Write("admin", "PUT", f"{THERAPIST_URL}/working-hours", HOURS, THERAPIST_URL),
    Write("front_desk", "POST", f"{PLAN}/cancel", {"reason": "moved away"}, PLAN),
    Write("front_desk", "POST", f"{PLAN}/sessions/1/reschedule", at("2026-03-10T10:00"), PLAN),
]


@pytest.fixture
def ids(clinic: Clinic, plan_id: UUID, first_session_booked: None) -> dict[str, Any]:
    """The clinic's ids, and an agreed plan whose session 1 is booked."""
    return {"client_id": clinic.client_id, "therapist_id": clinic.therapist_id, "plan_id": plan_id}


def single_resource_reads(app: Flask, values: dict[str, Any]) -> list[tuple[str, UUID]]:
    """Every GET of one resource in the API, path ids filled in, with its aggregate's id."""
    resources: Resources = app.extensions["regimen.resources"]
    reads = []
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and resources.is_single_resource(rule.rule):
            url = app.url_map.bind("localhost").build(rule.endpoint, values)
            target = resources.target(rule.rule, values)
            assert target is not None, rule.rule
            reads.append((url, target))
    return reads


def read_etag(client: FlaskClient, url: str, headers: dict[str, str]) -> str:
    """The ETag a GET of the resource answers."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_json()
    return str(response.headers["ETag"])


def test_every_single_resource_read_carries_its_aggregates_version_as_a_strong_etag(
    app: Flask,
    client: FlaskClient,
    regimen: Regimen,
    clinic: Clinic,
    ids: dict[str, Any],
    auth: Headers,
) -> None:
    reads = single_resource_reads(app, {**ids, "room_id": clinic.room_id, "number": 1})
    assert len(reads) >= 6, reads

    for url, aggregate_id in reads:
        version = regimen.repository.get(aggregate_id).version
        assert read_etag(client, url, auth["therapist"]) == f'"{version}"', url


def test_a_sessions_etag_is_its_plans_version(
    client: FlaskClient, ids: dict[str, Any], auth: Headers
) -> None:
    plan = f"/api/v1/plans/{ids['plan_id']}"

    session_etag = read_etag(client, f"{plan}/sessions/1", auth["front_desk"])

    assert session_etag == read_etag(client, plan, auth["front_desk"]) == '"3"'


def test_session_commands_answer_with_the_etag_of_the_version_they_wrote(
    client: FlaskClient,
    regimen: Regimen,
    ids: dict[str, Any],
    auth: Headers,
    clock: FixedClock,
) -> None:
    plan = f"/api/v1/plans/{ids['plan_id']}"
    desk = auth["front_desk"]

    booked = client.post(f"{plan}/sessions", json=at("2026-03-16T10:00"), headers=desk)
    moved = client.post(
        f"{plan}/sessions/2/reschedule",
        json=at("2026-03-17T10:00"),
        headers={**desk, "If-Match": booked.headers["ETag"]},  # what booking answered
    )
    clock.advance(days=16)  # Wednesday 18 March: session 2 has begun
    missed = client.post(
        f"{plan}/sessions/2/no-show", json={}, headers={**desk, "If-Match": moved.headers["ETag"]}
    )

    assert (booked.status_code, moved.status_code, missed.status_code) == (201, 200, 200)
    etags = [r.headers["ETag"] for r in (booked, moved, missed)]
    assert etags == ['"4"', '"5"', '"6"']
    assert etags[-1] == f'"{regimen.repository.get(ids["plan_id"]).version}"'


@pytest.mark.parametrize("write", WRITES)
def test_a_write_with_a_stale_if_match_is_refused_and_writes_nothing(
    client: FlaskClient, regimen: Regimen, ids: dict[str, Any], auth: Headers, write: Write
) -> None:
    url = write.path.format(**ids)
    stale = {**auth[write.role], "If-Match": '"0"'}  # versions start at 1: never current

    with writes_nothing(regimen):
        response = client.open(url, method=write.method, json=write.body, headers=stale)

    problem = assert_problem(response, 412, "changed since you read it", 'If-Match sent "0"')
    assert problem["current_etag"] == read_etag(client, write.read.format(**ids), auth["admin"])


@pytest.mark.parametrize("write", WRITES)
def test_a_write_with_the_current_if_match_proceeds(
    client: FlaskClient, ids: dict[str, Any], auth: Headers, write: Write
) -> None:
    read = write.read.format(**ids)
    current = read_etag(client, read, auth["admin"])
    headers = {**auth[write.role], "If-Match": current}

    response = client.open(
        write.path.format(**ids), method=write.method, json=write.body, headers=headers
    )

    assert response.status_code == 200, response.get_json()
    assert read_etag(client, read, auth["admin"]) != current


@pytest.mark.parametrize(
    "if_match",
    [
        pytest.param({}, id="without-if-match-unconditional"),
        pytest.param({"If-Match": '"7", "1"'}, id="several-etags-one-matching-is-enough"),
        pytest.param({"If-Match": "*"}, id="star-accepts-any-current-version"),
    ],
)
def test_a_write_proceeds_without_if_match_or_with_one_that_matches(
    client: FlaskClient, clinic: Clinic, auth: Headers, if_match: dict[str, str]
) -> None:
    headers = {**auth["front_desk"], **if_match}

    response = client.patch(
        f"/api/v1/clients/{clinic.client_id}", json={"phone": "07700 900123"}, headers=headers
    )

    assert (response.status_code, response.headers["ETag"]) == (200, '"2"')


def test_if_match_on_an_unknown_resource_is_not_found(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    headers = {**auth["front_desk"], "If-Match": '"1"'}

    response = client.patch(
        f"/api/v1/clients/{clinic.therapist_id}", json={"phone": "07700 900123"}, headers=headers
    )

    assert_problem(response, 404, "no client with id")


def test_a_change_saved_between_the_commands_read_and_its_save_fails_its_precondition(
    regimen: Regimen, plan_id: UUID
) -> None:
    # The therapist read the plan at version 2 and refers the client; while the command
    # runs, another request saves version 3. The save conflicts, the retry reads version
    # 3, and the precondition fails instead of the refer overwriting unseen changes.
    def refer_while_someone_else_writes(plan: Any) -> None:
        if plan.version == 2:  # the other request runs in a context of its own
            contextvars.Context().run(
                regimen.refer_client, plan_id, referral=Referral(profession="GP"), actor=THERAPIST
            )
        plan.refer(referral=Referral(profession="osteopath"), actor=THERAPIST)

    with expecting(plan_id, {2}), pytest.raises(PreconditionFailed, match='ETag is now "3"'):
        regimen.change(TreatmentPlan, plan_id, refer_while_someone_else_writes)

    assert [r.profession for r in regimen.plan(plan_id).referrals] == ["GP"]


def test_a_revision_preview_carries_no_etag_of_a_version_never_stored(
    plan_id: UUID, auth: Headers, refused: Refuse
) -> None:
    preview = {
        "series": {"sessions": 8, "interval_days": 7, "session_minutes": 60},
        "reason": "slower progress than hoped",
        "dry_run": True,
    }

    response = refused(
        "POST",
        f"/api/v1/plans/{plan_id}/revise",
        json=preview,
        headers=auth["therapist"],
    )

    assert response.status_code == 200, response.get_json()
    assert "ETag" not in response.headers


# A stale version, a weak tag, and tags that name no version we give: none matches.
NOT_CURRENT = ['"0"', 'W/"1"', '"²"', '"3.0"', '"abc"', '"99999999999999999999999"', '""']


@pytest.mark.parametrize("sent", NOT_CURRENT)
def test_an_if_match_that_is_not_the_current_strong_version_never_matches(
    clinic: Clinic, auth: Headers, sent: str, refused: Refuse
) -> None:
    headers = {**auth["front_desk"], "If-Match": sent}

    response = refused(
        "PATCH",
        f"/api/v1/clients/{clinic.client_id}",
        json={"phone": "07700 900123"},
        headers=headers,
    )

    assert_problem(response, 412)


def test_a_command_that_reads_its_own_write_does_not_fail_its_precondition(
    regimen: Regimen, plan_id: UUID
) -> None:
    with expecting(plan_id, {2}):
        regimen.refer_client(plan_id, referral=Referral(profession="GP"), actor=THERAPIST)
        reread = regimen.plan(plan_id)

    assert reread.version == 3
