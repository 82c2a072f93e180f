"""Idempotency-Key on POST over HTTP: a retry replays the first answer and writes nothing."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.adapters.idempotency import CLAIM_LEASE_SECONDS, RETENTION_SECONDS, Claimed
from service.api.idempotent import fingerprint, keys
from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from service.http.app import create_app
from tests.api.helpers import Headers, Refuse, assert_problem, at, position, writes_nothing
from tests.builders import Clinic
from tests.fakes import FixedClock

EVE = {"name": "Eve Example", "email": "eve@example.org"}
CLIENTS = "/api/v1/clients"


def with_key(headers: dict[str, str], key: str = "register-eve-1") -> dict[str, str]:
    """The headers plus an Idempotency-Key."""
    return {**headers, "Idempotency-Key": key}


@pytest.fixture
def eves_key_claimed_elsewhere(
    app: Flask, regimen: Regimen, clinic: Clinic, tokens: dict[str, str], clock: FixedClock
) -> None:
    """The front desk's key of registering Eve, claimed as the same request still running
    elsewhere would."""
    account = regimen.authenticate(tokens["front_desk"])
    assert account is not None
    with app.test_request_context(CLIENTS, method="POST", json=EVE):
        claimed = keys().claim(str(account.user_id), "register-eve-1", fingerprint(), clock.now)
    assert isinstance(claimed, Claimed)


def test_a_retry_replays_the_status_body_location_and_etag_and_says_it_is_a_replay(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    first = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))
    written = position(regimen)

    retry = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    assert (retry.status_code, retry.get_json()) == (201, first.get_json())
    for header in ("Location", "ETag", "Content-Type"):
        assert retry.headers[header] == first.headers[header]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert position(regimen) == written


def test_a_retry_with_the_same_json_in_another_order_is_the_same_request(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    with writes_nothing(regimen):
        retry = client.post(
            CLIENTS,
            data='{"email": "eve@example.org",  "name": "Eve Example"}',
            content_type="application/json",
            headers=with_key(auth["front_desk"]),
        )

    assert retry.status_code == 201


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(
    client: FlaskClient, clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    response = refused(
        "POST",
        CLIENTS,
        json={**EVE, "name": "Eve Other"},
        headers=with_key(auth["front_desk"]),
    )

    assert_problem(response, 422, "already used for another request")


def test_the_same_key_on_another_path_is_refused(
    client: FlaskClient, plan_id: UUID, auth: Headers, refused: Refuse
) -> None:
    same_key = with_key(auth["front_desk"])
    client.post(f"/api/v1/plans/{plan_id}/agree", json={}, headers=same_key)

    response = refused("POST", f"/api/v1/plans/{plan_id}/cancel", json={}, headers=same_key)

    assert_problem(response, 422, "already used for another request")


def test_keys_belong_to_their_user_so_two_users_may_use_the_same_key(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    by_desk = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))
    again = {**EVE, "allow_duplicate": True}  # the same person, registered on purpose
    by_admin = client.post(CLIENTS, json=again, headers=with_key(auth["admin"]))

    assert (by_desk.status_code, by_admin.status_code) == (201, 201)
    assert by_desk.get_json()["id"] != by_admin.get_json()["id"]
    assert "Idempotent-Replayed" not in by_admin.headers


def test_a_refusal_by_the_clinics_rules_is_replayed_too(
    client: FlaskClient, regimen: Regimen, plan_id: UUID, auth: Headers
) -> None:
    closed = with_key(auth["front_desk"], "book-sunday")
    first = client.post(
        f"/api/v1/plans/{plan_id}/sessions", json=at("2026-03-08T10:00"), headers=closed
    )

    with writes_nothing(regimen):
        retry = client.post(
            f"/api/v1/plans/{plan_id}/sessions", json=at("2026-03-08T10:00"), headers=closed
        )

    assert (first.status_code, retry.status_code) == (409, 409)
    assert retry.get_json() == first.get_json()
    assert retry.headers["Idempotent-Replayed"] == "true"


@pytest.mark.usefixtures("eves_key_claimed_elsewhere")
def test_a_retry_while_the_first_request_still_runs_is_a_conflict_to_retry_later(
    auth: Headers, refused: Refuse
) -> None:
    response = refused("POST", CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    assert_problem(response, 409, "still running")
    assert response.headers["Retry-After"] == "1"


@pytest.mark.usefixtures("eves_key_claimed_elsewhere")
def test_a_claim_left_by_a_request_that_died_is_taken_over_after_the_lease(
    client: FlaskClient, auth: Headers, clock: FixedClock
) -> None:
    clock.advance(seconds=CLAIM_LEASE_SECONDS + 1)

    response = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers


def test_a_key_is_forgotten_after_a_day_and_then_runs_the_command_again(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    first = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))
    clock.advance(seconds=RETENTION_SECONDS + 1)

    again = {**EVE, "allow_duplicate": True}  # the same person, registered on purpose
    later = client.post(CLIENTS, json=again, headers=with_key(auth["front_desk"]))

    assert later.status_code == 201
    assert later.get_json()["id"] != first.get_json()["id"]


def test_a_server_error_is_not_kept_so_that_a_retry_runs_the_command(
    client: FlaskClient,
    regimen: Regimen,
    clinic: Clinic,
    auth: Headers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register_client = regimen.register_client

    def database_down(*details: Any, **named: Any) -> UUID:
        monkeypatch.setattr(regimen, "register_client", register_client)  # back up for the retry
        raise ConnectionError("the database went away")

    monkeypatch.setattr(regimen, "register_client", database_down)
    failed = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    retry = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    assert (failed.status_code, retry.status_code) == (500, 201)
    assert "Idempotent-Replayed" not in retry.headers


def test_an_unauthenticated_attempt_is_not_kept(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    refused = client.post(CLIENTS, json=EVE, headers={"Idempotency-Key": "register-eve-1"})

    accepted = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    assert (refused.status_code, accepted.status_code) == (401, 201)


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "caf\u00e9"])
def test_a_malformed_key_is_a_bad_request(
    clinic: Clinic, auth: Headers, key: str, refused: Refuse
) -> None:
    response = refused(
        "POST",
        CLIENTS,
        json=EVE,
        headers={**auth["front_desk"], "Idempotency-Key": key},
    )

    assert_problem(response, 400, "Idempotency-Key")


def test_a_retry_through_another_server_process_is_replayed(
    settings: Settings,
    client: FlaskClient,
    regimen: Regimen,
    clinic: Clinic,
    auth: Headers,
    clock: FixedClock,
) -> None:
    first = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))
    # Another process: its own application and app over the same database file.
    other = build_regimen(settings)
    try:
        other_app = create_app(settings, regimen=other, clock=clock)
        with writes_nothing(regimen):
            retry = other_app.test_client().post(
                CLIENTS, json=EVE, headers=with_key(auth["front_desk"])
            )
    finally:
        other.close()

    assert (retry.status_code, retry.get_json()) == (201, first.get_json())
    assert retry.headers["Idempotent-Replayed"] == "true"


def test_a_body_over_the_size_limit_is_refused_before_its_key_is_claimed(
    settings: Settings, regimen: Regimen, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    small = create_app(
        dataclasses.replace(settings, max_body_bytes=256), regimen=regimen, clock=clock
    )
    client = small.test_client()
    oversized = {**EVE, "notes": "x" * 256}

    with writes_nothing(regimen):
        refused = client.post(CLIENTS, json=oversized, headers=with_key(auth["front_desk"]))
    accepted = client.post(CLIENTS, json=EVE, headers=with_key(auth["front_desk"]))

    assert_problem(refused, 413, "exceeds")
    assert accepted.status_code == 201
