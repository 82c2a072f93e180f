"""A verified token is trusted for a few seconds per process; revocation is honoured."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.application.accounts import TOKEN_TRUST
from service.bootstrap import build_regimen
from service.config import Settings
from tests.api.helpers import Headers, assert_problem
from tests.builders import ADMIN, Clinic
from tests.fakes import FixedClock


@pytest.fixture
def database_url(shared_database_url: str) -> str:
    """A store that a second application (another process's) can share."""
    return shared_database_url


def test_a_token_revoked_in_this_process_is_refused_at_once_though_just_verified(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    assert client.get("/api/v1/clients", headers=auth["front_desk"]).status_code == 200

    regimen.revoke_user("test-front_desk", ADMIN)

    assert_problem(client.get("/api/v1/clients", headers=auth["front_desk"]), 401)


def test_a_token_revoked_by_another_process_is_refused_once_its_trust_runs_out(
    client: FlaskClient, settings: Settings, clock: FixedClock, clinic: Clinic, auth: Headers
) -> None:
    assert client.get("/api/v1/clients", headers=auth["front_desk"]).status_code == 200
    elsewhere = build_regimen(settings)
    try:
        elsewhere.revoke_user("test-front_desk", ADMIN)
    finally:
        elsewhere.close()
    clock.advance(seconds=TOKEN_TRUST.total_seconds() - 1)
    still_trusted = client.get("/api/v1/clients", headers=auth["front_desk"])

    clock.advance(seconds=1)

    assert still_trusted.status_code == 200
    assert_problem(client.get("/api/v1/clients", headers=auth["front_desk"]), 401)


def test_a_token_is_read_again_from_the_store_once_its_trust_runs_out(
    client: FlaskClient, regimen: Regimen, clock: FixedClock, clinic: Clinic, auth: Headers
) -> None:
    client.get("/api/v1/clients", headers=auth["front_desk"])
    trusted = dict(regimen.verified_tokens.seen)

    clock.advance(seconds=TOKEN_TRUST.total_seconds())
    client.get("/api/v1/clients", headers=auth["front_desk"])

    assert len(trusted) == 1
    assert [at for _, at in regimen.verified_tokens.seen.values()] == [clock.now]
