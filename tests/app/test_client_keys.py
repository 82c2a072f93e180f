"""Per-client keys: a client's fields sealed under the client's own key; destroying the key
leaves placeholders on replay, and the seals still verify."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from eventsourcing.cipher import AESCipher

from service.adapters.client_keys import ClientKeys
from service.adapters.view_recorders import ViewRecorder
from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.client import Client
from service.domain.personal_data import ERASED
from service.domain.plan import TreatmentPlan
from tests.audit_story import treated_and_revised
from tests.builders import small_clinic

PHRASE = "Quokka-lanterns hum beneath the right trapezius"
KEY = AESCipher.create_key(32)
NOW = datetime(2026, 4, 1, 9, tzinfo=UTC)


@pytest.fixture
def keyed(shared_database_url: str) -> Iterator[Regimen]:
    """The application on a fresh SQLite file or PostgreSQL schema, with a cipher key."""
    regimen = build_regimen(Settings(database_url=shared_database_url, cipher_key=KEY))
    yield regimen
    regimen.close()


def replayed_plan(regimen: Regimen, plan_id: UUID) -> TreatmentPlan:
    """The plan replayed from its stored events (no kept copy, no snapshot)."""
    plan = regimen.repository.get(plan_id)
    assert isinstance(plan, TreatmentPlan)
    return plan


def test_a_clients_notes_are_stored_under_the_clients_own_key(keyed: Regimen) -> None:
    clinic = small_clinic(keyed)
    story = treated_and_revised(keyed, clinic, lambda plan_id: None, notes=PHRASE)
    keys = keyed.client_keys
    assert keys is not None

    assert keys.client_of(story.plan_id) == clinic.client_id
    cipher = keyed.mapper.cipher
    assert cipher is not None
    # Opened with the application's key, the stored states still hide the notes.
    opened = [cipher.decrypt(s.state) for s in keyed.recorder.select_events(story.plan_id)]
    assert len(opened) == story.last_version
    assert all(PHRASE.encode() not in state for state in opened)
    assert any(b'"_personal"' in state for state in opened)


def test_the_owner_reads_every_field_back(keyed: Regimen) -> None:
    clinic = small_clinic(keyed)
    story = treated_and_revised(keyed, clinic, lambda plan_id: None, notes=PHRASE)

    plan = replayed_plan(keyed, story.plan_id)
    client = keyed.repository.get(clinic.client_id)
    assert [s.performance.notes for s in plan.sessions if s.performance] == [PHRASE] * 3
    assert client.name == "Cora Client" and client.email == "cora@example.org"


def test_without_the_key_replay_gives_placeholders_and_a_working_plan(keyed: Regimen) -> None:
    clinic = small_clinic(keyed)
    story = treated_and_revised(keyed, clinic, lambda plan_id: None, notes=PHRASE)
    before = replayed_plan(keyed, story.plan_id)
    keys = keyed.client_keys
    assert keys is not None

    keys.destroy(clinic.client_id, NOW)

    plan = replayed_plan(keyed, story.plan_id)
    assert plan.version == before.version
    assert [s.time for s in plan.sessions] == [s.time for s in before.sessions]
    assert [s.status for s in plan.sessions] == [s.status for s in before.sessions]
    assert {s.performance.notes for s in plan.sessions if s.performance} == {ERASED}
    assert plan.assessment.complaint == ERASED and plan.focus_areas == []
    client = keyed.repository.get(clinic.client_id)
    assert isinstance(client, Client) and client.name == ERASED
    other = keyed.repository.get(clinic.other_client_id)
    assert other.name == "Dan Client"  # another client's key is untouched
    assert keyed.verify_log().ok


def test_an_erased_clients_key_is_never_made_again(keyed: Regimen) -> None:
    clinic = small_clinic(keyed)
    keys = keyed.client_keys
    assert keys is not None
    keys.destroy(clinic.client_id, NOW)
    keys.forget(clinic.client_id)

    assert keys.cipher_of(clinic.client_id, make=True) is None


def test_without_a_cipher_key_there_are_no_client_keys(sqlite_url: str) -> None:
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        assert regimen.client_keys is None
    finally:
        regimen.close()


class CountedReads:
    """A view recorder that counts the queries it answers."""

    def __init__(self, recorder: ViewRecorder) -> None:
        self.recorder = recorder
        self.reads = 0

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        self.reads += 1
        return self.recorder.query(sql, params)

    def write(self, statements: Sequence[Any], trackings: Sequence[Any]) -> None:
        self.recorder.write(statements, trackings)


def counted_keys(regimen: Regimen, **kept: int) -> tuple[ClientKeys, CountedReads]:
    """Client keys of the regimen's database, keeping this few, and the queries they make."""
    shared = regimen.client_keys
    assert shared is not None
    reads = CountedReads(shared.recorder)
    return ClientKeys(cast(ViewRecorder, reads), KEY, **kept), reads


def test_only_the_aggregates_used_last_keep_their_client_and_the_others_are_read_again(
    keyed: Regimen,
) -> None:
    keys, reads = counted_keys(keyed, kept=2)
    client_id, plan_id, visit_id, day_id = uuid4(), uuid4(), uuid4(), uuid4()
    keys.link(plan_id, client_id)
    keys.link(visit_id, client_id)
    assert keys.client_of(day_id) is None  # about no client: kept too, pushing the plan out
    assert reads.reads == 1

    assert len(keys.clients.cache) == 2
    assert keys.client_of(visit_id) == client_id
    assert reads.reads == 1
    assert keys.client_of(plan_id) == client_id  # read again, pushing the day out
    assert reads.reads == 2
    assert keys.client_of(visit_id) == client_id
    assert reads.reads == 2
    assert keys.client_of(day_id) is None  # read again
    assert (reads.reads, len(keys.clients.cache)) == (3, 2)


def test_only_the_clients_used_last_keep_their_key_unwrapped_and_the_others_are_read_again(
    keyed: Regimen,
) -> None:
    keys, reads = counted_keys(keyed, ciphers_kept=2)
    first, second, third = uuid4(), uuid4(), uuid4()
    ciphers = {c: keys.cipher_of(c, make=True) for c in (first, second, third)}
    sealed = ciphers[first].encrypt(b"first's notes")  # type: ignore[union-attr]
    made = reads.reads

    assert len(keys.ciphers.cache) == 2
    assert keys.cipher_of(third) is ciphers[third]
    assert reads.reads == made
    again = keys.cipher_of(first)  # pushed out: unwrapped again from the stored key
    assert reads.reads == made + 1
    assert again is not None and again.decrypt(sealed) == b"first's notes"
    assert len(keys.ciphers.cache) == 2
