"""The probes: live without the database, ready only when the database, the key and every
view are right, and the version with the event store's position."""

from __future__ import annotations

from pathlib import Path

import pytest
from eventsourcing.cipher import AESCipher
from flask import Flask
from flask.testing import FlaskClient

from service.adapters.schema_versions import VERSION_TABLE
from service.adapters.view_recorders import view_recorder_for
from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from service.http.app import create_app
from service.projections.locked import ViewDatabase
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.schema_steps import CURRENT, upgrade
from tests.builders import Clinic, small_clinic
from tests.stuck_views import POISON, RefusingDirectory, register


class DatabaseGone(Exception):
    """The database stopped answering."""


def test_live_answers_without_asking_the_database(
    app: Flask, client: FlaskClient, regimen: Regimen, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone() -> int:
        raise DatabaseGone

    monkeypatch.setattr(regimen.recorder, "max_notification_id", gone)
    live = client.get("/health/live")
    assert (live.status_code, live.get_json()) == (200, {"status": "alive"})
    assert client.get("/health").status_code == 503
    assert client.get("/health/ready").status_code == 503
    version = client.get("/version")
    assert version.status_code == 503
    assert version.mimetype == "application/problem+json"


def test_the_version_names_the_package_and_the_event_stores_position(
    client: FlaskClient, regimen: Regimen, clinic: Clinic
) -> None:
    before = client.get("/version").get_json()
    assert before["position"] == regimen.recorder.max_notification_id()
    assert before["version"]
    register(regimen, "Eve Later")
    after = client.get("/version").get_json()
    assert after["position"] > before["position"]


def test_ready_turns_503_when_a_view_is_stuck_and_200_when_it_goes_on(
    app: Flask, client: FlaskClient, regimen: Regimen, clinic: Clinic
) -> None:
    assert client.get("/health/ready").status_code == 200
    register(regimen, POISON)
    app.extensions["regimen.reads"] = ReadModel(
        Projector(regimen, views=RefusingDirectory().views())
    )
    stuck = client.get("/health/ready")
    assert stuck.status_code == 503
    assert stuck.get_json()["type"].endswith("/view-stuck")

    app.extensions["regimen.reads"] = ReadModel(Projector(regimen))  # the fixed release
    ready = client.get("/health/ready")
    assert ready.status_code == 200, ready.get_json()
    assert all(view["fault"] is None for view in ready.get_json()["views"])


@pytest.mark.parametrize("key", ["", AESCipher.create_key(32)], ids=["no key", "another key"])
def test_ready_turns_503_when_the_cipher_key_is_not_the_stores(tmp_path: Path, key: str) -> None:
    url = f"sqlite:///{tmp_path / 'keyed.db'}"
    written = Settings(database_url=url, cipher_key=AESCipher.create_key(32))
    regimen = build_regimen(written)
    try:
        small_clinic(regimen)
        with_right_key = create_app(written, regimen=regimen).test_client()
        assert with_right_key.get("/health/ready").status_code == 200
    finally:
        regimen.close()

    settings = Settings(database_url=url, cipher_key=key)
    regimen = build_regimen(settings)
    try:
        answer = create_app(settings, regimen=regimen).test_client().get("/health/ready")
    finally:
        regimen.close()
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["type"].endswith("/wrong-cipher-key")
    assert "REGIMEN_CIPHER_KEY" in body["detail"]


def test_ready_turns_503_while_the_schema_is_older_than_the_release_needs(
    client: FlaskClient, regimen: Regimen, clinic: Clinic
) -> None:
    assert client.get("/version").get_json()["schema"] == CURRENT
    assert client.get("/health/ready").status_code == 200
    with ViewDatabase.of(view_recorder_for(regimen)).locked() as transaction:
        transaction.run(f"UPDATE {VERSION_TABLE} SET version = %s", (CURRENT - 1,))
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.get_json()["type"].endswith("schema-behind")
    assert "regimen db upgrade" in ready.get_json()["detail"]
    assert client.get("/version").get_json()["schema"] == CURRENT - 1
    upgrade(regimen)
    assert client.get("/health/ready").status_code == 200
