"""Erasure: a client erased mid-plan leaves placeholders, verified seals, freed slots and no
row of theirs in any view; inside the retention period it needs an override; without a
cipher key there is nothing to shred."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import pytest
from click.testing import CliRunner
from eventsourcing.cipher import AESCipher
from flask.testing import FlaskClient

from service.adapters.channels import FileOutbox
from service.adapters.outgoing import Outgoing
from service.application import Regimen
from service.cli.commands import main
from service.config import Settings
from service.domain.client import Client
from service.domain.reminders import Channel
from tests.api.helpers import Headers, assert_problem, availability, book, perform, position
from tests.builders import ADMIN, DESK, Clinic
from tests.fakes import FixedClock
from tests.web.conftest import signed_in

KEY = AESCipher.create_key(32)
PHRASE = "Axolotl-semaphore crackles along the left rhomboid"
NAME, EMAIL = "Cora Client", "cora@example.org"
API = "/api/v1"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """A keyed SQLite store."""
    return Settings(database_url=database_url, cipher_key=KEY, outbox_dir=str(tmp_path / "out"))


@pytest.fixture
def mid_plan(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> UUID:
    """Cora's plan: session 1 (9 March) performed with the phrase in its notes, sessions 2
    and 3 (16 and 23 March) booked; the clock at 10 March."""
    for day in ("2026-03-09", "2026-03-16", "2026-03-23"):
        book(regimen, plan_id, f"{day}T10:00", clock.now)
    perform(regimen, plan_id, 1, notes=PHRASE)
    clock.advance(days=8)
    return plan_id


def erase(client: FlaskClient, clinic: Clinic, auth: Headers, **body: str) -> object:
    return client.post(
        f"{API}/clients/{clinic.client_id}/erasure", json=body, headers=auth["admin"]
    )


def every_row(database_url: str) -> str:
    """Every value of every table of the SQLite file, as text."""
    path = urlsplit(database_url).path
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            repr(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')
        )


def test_inside_the_retention_period_erasure_without_an_override_changes_nothing(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, mid_plan: UUID, auth: Headers
) -> None:
    before = position(regimen)

    body = assert_problem(erase(client, clinic, auth), 409, "retention period", "override")

    assert body["type"].endswith("/retention-period")
    assert position(regimen) == before
    plan = client.get(f"{API}/plans/{mid_plan}", headers=auth["therapist"]).get_json()
    assert plan["sessions"][0]["performance"]["notes"] == PHRASE
    found = client.get(f"{API}/clients", query_string={"q": "Cora"}, headers=auth["front_desk"])
    assert [c["name"] for c in found.get_json()] == [NAME]


def test_only_an_admin_erases(client: FlaskClient, clinic: Clinic, auth: Headers) -> None:
    response = client.post(
        f"{API}/clients/{clinic.client_id}/erasure", json={}, headers=auth["front_desk"]
    )
    assert_problem(response, 403)


def test_an_erased_client_leaves_placeholders_freed_slots_and_verified_seals(
    client: FlaskClient,
    regimen: Regimen,
    clinic: Clinic,
    mid_plan: UUID,
    auth: Headers,
    tokens: dict[str, str],
    settings: Settings,
) -> None:
    response = erase(client, clinic, auth, override_reason="court order 114: erase now")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["plan_ids"] == [str(mid_plan)]

    # Nobody finds her by name; her record and plan read as placeholders.
    found = client.get(f"{API}/clients", query_string={"q": "Cora"}, headers=auth["front_desk"])
    assert found.get_json() == []
    record = client.get(f"{API}/clients/{clinic.client_id}", headers=auth["admin"]).get_json()
    assert record["name"] == "erased" and record["email"] == ""
    plan = client.get(f"{API}/plans/{mid_plan}", headers=auth["therapist"]).get_json()
    assert plan["assessment"]["complaint"] == "erased"
    assert plan["sessions"][0]["performance"]["notes"] == "erased"
    assert [s["status"] for s in plan["sessions"]] == ["performed", "cancelled", "cancelled"]
    history = client.get(f"{API}/plans/{mid_plan}/history", headers=auth["auditor"])
    assert history.status_code == 200 and PHRASE not in history.get_data(as_text=True)
    assert "stiff neck" not in history.get_data(as_text=True)
    as_of = client.get(f"{API}/plans/{mid_plan}?version=6", headers=auth["auditor"]).get_json()
    assert as_of["sessions"][0]["performance"]["notes"] == "erased"
    auditor = signed_in(client, tokens["auditor"])
    for page in ("", "/as-it-stood?version=6", "/proof"):
        shown = auditor.get(f"/audit/plans/{mid_plan}{page}")
        assert shown.status_code == 200
        assert PHRASE not in shown.get_data(as_text=True)
        assert NAME not in shown.get_data(as_text=True)
    stood = auditor.get(f"/audit/plans/{mid_plan}/as-it-stood?version=6").get_data(as_text=True)
    assert "erased" in stood

    # The therapist's day and the calendar show the slots free again.
    sheet = client.get(
        f"{API}/therapists/{clinic.therapist_id}/day-sheet",
        query_string={"date": "2026-03-16"},
        headers=auth["front_desk"],
    )
    assert sheet.get_json()["sessions"] == []
    free = availability(client, clinic, auth["front_desk"]).get_data(as_text=True)
    assert "2026-03-16T10:00" in free

    # The seals (keyed by the cipher key, never a client's) verify over the same stored
    # bytes; a rebuild from zero leaves no trace of her.
    env = {"REGIMEN_DATABASE_URL": settings.database_url, "REGIMEN_CIPHER_KEY": KEY}
    verified = CliRunner().invoke(main, ["audit", "verify"], env=env)
    assert verified.exit_code == 0, verified.output
    rebuilt = CliRunner().invoke(main, ["projections", "rebuild"], env=env)
    assert rebuilt.exit_code == 0, rebuilt.output
    rows = every_row(settings.database_url)
    assert "Dan Client" in rows  # the other client is still listed
    for trace in (NAME, EMAIL, PHRASE, "stiff neck"):
        assert trace not in rows


def test_a_second_erasure_finds_the_client_erased_already(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, mid_plan: UUID, auth: Headers
) -> None:
    assert erase(client, clinic, auth, override_reason="asked twice").status_code == 200
    before = position(regimen)

    assert erase(client, clinic, auth).status_code == 200
    assert position(regimen) == before
    assert regimen.load(Client, clinic.client_id).erased


def test_the_command_line_erases_and_refuses_clearly(
    regimen: Regimen, clinic: Clinic, mid_plan: UUID, settings: Settings
) -> None:
    env = {"REGIMEN_DATABASE_URL": settings.database_url, "REGIMEN_CIPHER_KEY": KEY}
    args = ["clients", "erase", str(clinic.client_id)]

    refused = CliRunner().invoke(main, args, env=env)
    assert refused.exit_code == 1 and "retention period" in refused.output
    erased = CliRunner().invoke(main, [*args, "--override-reason", "court order"], env=env)
    assert erased.exit_code == 0, erased.output
    assert "erased" in erased.output and NAME not in every_row(settings.database_url)


def test_an_erasure_deletes_the_outbox_files_of_the_messages_the_client_was_sent(
    regimen: Regimen, clinic: Clinic, settings: Settings, clock: FixedClock
) -> None:
    # Cora was written to at her first address, then at a new one and by SMS; Dan once.
    # Files named by the message alone were written before messages named their client.
    email = FileOutbox(settings.outbox_dir, Channel.EMAIL, "desk@riverside.example")
    sms = FileOutbox(settings.outbox_dir, Channel.SMS, "desk@riverside.example")
    regimen.update_client(
        clinic.client_id, {"email": "cora@new.example", "phone": "+447700900123"}, DESK
    )
    cora, family = clinic.client_id, uuid4()  # family: another client at Cora's address
    letters = [
        (email, EMAIL, None),
        (email, "cora@new.example", cora),
        (sms, "+447700900123", cora),
        (email, "dan@example.org", None),
        (email, "cora@new.example", family),
    ]
    for sender, to, client_id in letters:
        sender.send(Outgoing(uuid4(), to, "Hello", f"Hello {NAME}", clock.now, client_id=client_id))
    outbox = Path(settings.outbox_dir)
    assert len(list(outbox.rglob("*.*"))) == 5

    regimen.erase_client(clinic.client_id, actor=ADMIN, now=clock.now)

    kept = sorted(outbox.rglob("*.*"))
    assert len(kept) == 2
    assert any("dan@example.org" in path.read_text() for path in kept)
    assert any(path.name.startswith(f"{family}.") for path in kept)
    # An erasure run again, the client's history now unreadable, deletes nothing more.
    regimen.erase_client(clinic.client_id, actor=ADMIN, now=clock.now)
    assert sorted(outbox.rglob("*.*")) == kept
