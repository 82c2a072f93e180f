"""Encryption at rest: clinical text never stored in clear; a wrong or missing key fails clearly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import psycopg
import pytest
from click.testing import CliRunner
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import MapperDeserialisationError
from werkzeug.test import TestResponse

from service.application.commands import ClientDetails
from service.audit.seals import KeyMismatch
from service.bootstrap import build_regimen
from service.cli.commands import main
from service.config import Settings
from service.domain.values import Role
from service.http.app import create_app
from service.projections.projector import Projector
from tests.api.helpers import bearer, book
from tests.audit_story import BOOKED_FROM, treated_and_revised
from tests.builders import ADMIN, DESK, agreed_plan, small_clinic
from tests.conftest import postgres_schema_url

PHRASE = "Zebra-marmalade whispers under the left scapula"
KEY = AESCipher.create_key(32)


def told(settings: Settings) -> tuple[UUID, str]:
    """Tell the story with the phrase in every session's notes; the plan and a therapist token."""
    regimen = build_regimen(settings)
    try:
        clinic = small_clinic(regimen)
        story = treated_and_revised(regimen, clinic, lambda plan_id: None, notes=PHRASE)
        _, token = regimen.add_user(
            "Thea Therapist", Role.THERAPIST, ADMIN, therapist_id=clinic.therapist_id
        )
        Projector(regimen).catch_up()  # the read models live in the same database
        return story.plan_id, token
    finally:
        regimen.close()


def database_bytes(sqlite_url: str) -> bytes:
    """The raw bytes of the SQLite file and its write-ahead log."""
    path = Path(urlsplit(sqlite_url).path)
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def postgres_values(postgres_url: str) -> Iterator[object]:
    """Every value of every row of every table in the test schema."""
    schema = parse_qs(urlsplit(postgres_url).query)["schema"][0]
    base = urlsplit(postgres_url)._replace(query="").geturl()
    with psycopg.connect(base) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
        ).fetchall()
        for (table,) in tables:
            for row in conn.execute(f'SELECT * FROM "{schema}"."{table}"'):
                yield from row


def contains_phrase(values: Iterator[object]) -> bool:
    """Whether any value holds the phrase in clear."""
    phrase = PHRASE.encode()
    for value in values:
        if isinstance(value, bytes | memoryview) and phrase in bytes(value):
            return True
        if isinstance(value, str) and PHRASE in value:
            return True
    return False


def read_plan_over_the_api(settings: Settings, plan_id: UUID, token: str) -> TestResponse:
    """The API's answer when the therapist asks for the plan, from an app on these settings."""
    regimen = build_regimen(settings)
    try:
        client = create_app(settings, regimen=regimen).test_client()
        return client.get(f"/api/v1/plans/{plan_id}", headers=bearer(token))
    finally:
        regimen.close()


@pytest.mark.parametrize("key", ["", KEY], ids=["without a key", "with a key"])
def test_the_phrase_is_in_the_sqlite_file_in_clear_only_without_a_key(
    sqlite_url: str, key: str
) -> None:
    told(Settings(database_url=sqlite_url, cipher_key=key))

    assert (PHRASE.encode() in database_bytes(sqlite_url)) == (not key)


@pytest.mark.postgres
@pytest.mark.parametrize("key", ["", KEY], ids=["without a key", "with a key"])
def test_the_phrase_is_in_the_postgres_tables_in_clear_only_without_a_key(key: str) -> None:
    for postgres_url in postgres_schema_url():
        told(Settings(database_url=postgres_url, cipher_key=key))

        assert contains_phrase(postgres_values(postgres_url)) == (not key)


def test_with_the_key_the_therapist_still_reads_the_notes(sqlite_url: str) -> None:
    settings = Settings(database_url=sqlite_url, cipher_key=KEY)
    plan_id, token = told(settings)
    response = read_plan_over_the_api(settings, plan_id, token)

    assert response.status_code == 200, response.get_json()
    notes = [s["performance"]["notes"] for s in response.get_json()["sessions"]]
    assert notes == [PHRASE, PHRASE, PHRASE]


@pytest.mark.parametrize("key", ["", AESCipher.create_key(32)], ids=["no key", "another key"])
def test_without_the_right_key_the_api_answers_a_clear_problem_never_garbage(
    sqlite_url: str, key: str
) -> None:
    plan_id, token = told(Settings(database_url=sqlite_url, cipher_key=KEY))
    settings = Settings(database_url=sqlite_url, cipher_key=key)
    response = read_plan_over_the_api(settings, plan_id, token)

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "REGIMEN_CIPHER_KEY" in response.get_json()["detail"]
    assert PHRASE not in response.get_data(as_text=True)


@pytest.mark.parametrize("key", ["", AESCipher.create_key(32)], ids=["no key", "another key"])
def test_without_the_right_key_reading_fails_and_writing_is_refused(
    sqlite_url: str, key: str
) -> None:
    plan_id, _ = told(Settings(database_url=sqlite_url, cipher_key=KEY))
    regimen = build_regimen(Settings(database_url=sqlite_url, cipher_key=key))
    try:
        stored = regimen.recorder.max_notification_id()
        with pytest.raises(MapperDeserialisationError):
            regimen.plan(plan_id)
        with pytest.raises(KeyMismatch, match="REGIMEN_CIPHER_KEY"):
            regimen.register_client(
                ClientDetails(name="Eve", zone="Europe/London"),
                actor=DESK,
            )
        assert regimen.recorder.max_notification_id() == stored
        assert [p.kind for p in regimen.verify_log().problems] == ["wrong-key"]
    finally:
        regimen.close()


def test_without_the_right_key_the_command_line_says_so(sqlite_url: str) -> None:
    plan_id, _ = told(Settings(database_url=sqlite_url, cipher_key=KEY))
    env = {"REGIMEN_DATABASE_URL": sqlite_url, "REGIMEN_CIPHER_KEY": AESCipher.create_key(32)}

    result = CliRunner().invoke(main, ["replay", str(plan_id)], env=env)

    assert result.exit_code == 1
    assert "REGIMEN_CIPHER_KEY" in result.output and "Traceback" not in result.output
    assert PHRASE not in result.output


def test_a_command_sent_with_an_idempotency_key_leaves_no_clinical_text_in_clear(
    sqlite_url: str,
) -> None:
    settings = Settings(database_url=sqlite_url, cipher_key=KEY)
    regimen = build_regimen(settings)
    try:
        clinic = small_clinic(regimen)
        plan_id = agreed_plan(regimen, clinic)
        book(regimen, plan_id, "2026-03-09T10:00", BOOKED_FROM)
        _, token = regimen.add_user(
            "Thea Therapist", Role.THERAPIST, ADMIN, therapist_id=clinic.therapist_id
        )
        client = create_app(settings, regimen=regimen).test_client()
        response = client.post(
            f"/api/v1/plans/{plan_id}/sessions/1/perform",
            json={
                "techniques": ["effleurage"],
                "duration_minutes": 60,
                "pain_before": 5,
                "notes": PHRASE,
            },
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "perform-1"},
        )
        assert response.status_code == 200, response.get_json()
    finally:
        regimen.close()

    assert PHRASE.encode() not in database_bytes(sqlite_url)
