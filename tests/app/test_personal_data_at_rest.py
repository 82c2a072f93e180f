"""With a cipher key, a client's email and a phrase from their notes are in no table and in
no byte of the database, read models included; search and duplicate checks still work."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

from eventsourcing.cipher import AESCipher
from flask.testing import FlaskClient

from service.application import Regimen
from service.application.commands import ClientDetails
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.proposal import PlanProposal
from service.domain.values import Role
from service.http.app import create_app
from service.projections.projector import Projector
from tests.api.helpers import PERFORMANCE, bearer, book
from tests.app.test_audit_cipher import database_bytes, postgres_values
from tests.builders import ADMIN, DESK, THERAPIST, ZONE, proposal, small_clinic
from tests.fakes import FixedClock

KEY = AESCipher.create_key(32)
PHRASE = "Pangolin-cartography settles behind the right scapula"
EMAIL = "zelda.quill.7731@example.org"
PHONE = "+447700900123"
SECRETS = (PHRASE, EMAIL, PHONE)


def tell(regimen: Regimen, client: FlaskClient, clock: FixedClock) -> UUID:
    """Zelda registered (her notes hold the phrase), a plan of hers proposed, booked,
    performed over the API with an idempotency key (the notes hold the phrase) and read by
    her therapist (logged); every view caught up. Her id."""
    clinic = small_clinic(regimen)
    zelda = regimen.register_client(
        ClientDetails(name="Zelda Quill", email=EMAIL, phone=PHONE, zone=ZONE, notes=PHRASE),
        actor=DESK,
    )
    plan_id = regimen.propose_plan(
        PlanProposal(**proposal(clinic, client_id=zelda)), actor=THERAPIST
    )
    regimen.agree_plan(plan_id, actor=DESK)
    book(regimen, plan_id, "2026-03-09T10:00", clock.now)
    clock.advance(days=7, hours=3)  # the session is over
    _, token = regimen.add_user("Thea", Role.THERAPIST, ADMIN, therapist_id=clinic.therapist_id)
    headers = {**bearer(token), "Idempotency-Key": "perform-zelda-1"}
    performed = client.post(
        f"/api/v1/plans/{plan_id}/sessions/1/perform",
        json={**PERFORMANCE, "notes": PHRASE},
        headers=headers,
    )
    assert performed.status_code == 200, performed.get_json()
    read = client.get(f"/api/v1/plans/{plan_id}", headers=bearer(token))
    assert read.get_json()["sessions"][0]["performance"]["notes"] == PHRASE
    Projector(regimen).catch_up()
    return zelda


def told(settings: Settings) -> tuple[Regimen, FlaskClient, UUID]:
    regimen = build_regimen(settings)
    clock = FixedClock()
    client = create_app(settings, regimen=regimen, clock=clock).test_client()
    return regimen, client, tell(regimen, client, clock)


def sqlite_rows(url: str) -> Iterator[object]:
    """Every value of every table of the SQLite file."""
    with sqlite3.connect(urlsplit(url).path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for name in names:
            for row in db.execute(f'SELECT * FROM "{name}"'):
                yield from row


def clear_text(values: Iterator[object]) -> set[str]:
    """Which of the secrets some value holds in clear."""
    found = set()
    for value in values:
        data = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        found |= {secret for secret in SECRETS if secret.encode() in data}
    return found


def test_no_table_and_no_byte_of_the_sqlite_file_holds_the_clients_data(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=sqlite_url, cipher_key=KEY, outbox_dir=str(tmp_path))
    regimen, _, _ = told(settings)
    try:
        assert clear_text(sqlite_rows(sqlite_url)) == set()
        raw = database_bytes(sqlite_url)
        assert len(raw) > 100_000  # the file and its log were read
        assert [s for s in SECRETS if s.encode() in raw] == []
    finally:
        regimen.close()


def test_without_a_key_the_same_story_leaves_them_in_clear(sqlite_url: str) -> None:
    regimen, _, _ = told(Settings(database_url=sqlite_url))
    try:
        assert clear_text(sqlite_rows(sqlite_url)) == set(SECRETS)  # the test can see them
    finally:
        regimen.close()


def test_no_postgres_table_holds_the_clients_data(postgres_url: str) -> None:
    regimen, _, _ = told(Settings(database_url=postgres_url, cipher_key=KEY))
    try:
        values = list(postgres_values(postgres_url))
        assert len(values) > 100
        assert clear_text(iter(values)) == set()
    finally:
        regimen.close()


def test_with_a_key_the_desk_still_finds_the_client_by_name_exact_email_and_number(
    sqlite_url: str,
) -> None:
    settings = Settings(database_url=sqlite_url, cipher_key=KEY)
    regimen, client, zelda = told(settings)
    try:
        _, token = regimen.add_user("Desk", Role.FRONT_DESK, ADMIN)
        for query in ("zel", EMAIL.upper(), PHONE):
            found = client.get("/api/v1/clients", query_string={"q": query}, headers=bearer(token))
            rows = found.get_json()
            assert [(r["id"], r["email"], r["phone"]) for r in rows] == [(str(zelda), EMAIL, PHONE)]
        again = client.post(
            "/api/v1/clients",
            json={"name": "Zelda Q", "email": EMAIL, "phone": ""},
            headers=bearer(token),
        )
        assert again.status_code == 409, again.get_json()
        assert again.get_json()["duplicates"][0]["email"] == EMAIL
    finally:
        regimen.close()
