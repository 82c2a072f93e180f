"""Clients and staff users: contact details that change only for real, tokens kept hashed."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from service.domain.client import Client
from service.domain.errors import InvalidValue
from service.domain.users import StaffRoster, User, token_hash
from service.domain.values import Actor, Role

ADMIN = Actor(user_id="a", role=Role.ADMIN)
DESK = Actor(user_id="d", role=Role.FRONT_DESK)


# --- client ----------------------------------------------------------------


def _client() -> Client:
    client = Client.register(
        name="Cora", email="cora@example.org", phone="", zone="Europe/London", notes="", actor=DESK
    )
    client.collect_events()
    return client


@pytest.mark.parametrize("bad", [{"name": ""}, {"zone": "Not/AZone"}])
def test_a_client_needs_a_name_and_a_known_zone(bad: dict[str, str]) -> None:
    details = {"name": "Cora", "email": "", "phone": "", "zone": "UTC", "notes": "", **bad}

    with pytest.raises(InvalidValue):
        Client.register(actor=DESK, **details)


def test_updating_a_client_records_only_the_fields_that_really_change() -> None:
    client = _client()

    client.update(
        {"name": "Cora", "email": "cora@new.example.org", "phone": "+44 20 7946 0000"}, DESK
    )

    (changed,) = client.collect_events()
    assert changed.changes == {"email": "cora@new.example.org", "phone": "+442079460000"}
    assert (client.email, client.phone) == ("cora@new.example.org", "+442079460000")


def test_an_update_that_changes_nothing_records_nothing() -> None:
    client = _client()

    client.update({"name": "Cora", "zone": "Europe/London"}, DESK)
    client.update({}, DESK)

    assert client.collect_events() == []


@pytest.mark.parametrize(
    "bad", [{"id": uuid4()}, {"nickname": "C"}, {"zone": "Not/AZone"}, {"name": "  "}]
)
def test_an_invalid_client_update_is_refused_and_changes_nothing(bad: dict[str, Any]) -> None:
    client = _client()

    with pytest.raises(InvalidValue):
        client.update({"email": "x@example.org", **bad}, DESK)
    assert client.email == "cora@example.org"
    assert client.collect_events() == []


# --- staff users -----------------------------------------------------------


def test_a_token_hash_is_the_sha256_hex_digest_of_the_token() -> None:
    # The FIPS 180-2 test vector for "abc".
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_a_user_is_found_by_the_hash_of_its_token() -> None:
    user = User(token_hash=token_hash("s3cret-token"), name="Ada", role=Role.THERAPIST, actor=ADMIN)

    assert user.id == User.create_id(token_hash("s3cret-token"))
    assert user.id != User.create_id(token_hash("another-token"))
    assert "s3cret-token" not in repr(user)


def test_revoking_a_user_is_recorded_once() -> None:
    user = User(token_hash=token_hash("t"), name="Ada", role=Role.THERAPIST, actor=ADMIN)
    user.collect_events()

    user.revoke(ADMIN)
    user.revoke(ADMIN)

    assert user.revoked
    assert [type(e).__name__ for e in user.collect_events()] == ["UserRevoked"]


def test_the_roster_lists_enlisted_users_by_id() -> None:
    roster = StaffRoster(ADMIN)
    ada = User(token_hash=token_hash("a"), name="Ada", role=Role.THERAPIST, actor=ADMIN)

    roster.enlist(ada, ADMIN)

    assert roster.id == StaffRoster.create_id()
    assert roster.users == {str(ada.id): "Ada"}


def test_the_roster_refuses_a_user_without_a_name() -> None:
    nameless = User(token_hash=token_hash("n"), name=" ", role=Role.AUDITOR, actor=ADMIN)

    with pytest.raises(InvalidValue):
        StaffRoster(ADMIN).enlist(nameless, ADMIN)
