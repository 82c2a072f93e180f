"""Which email addresses Regimen accepts: one rule, for the API, the pages and the domain."""

from __future__ import annotations

import pytest

from service.domain.client import Client
from service.domain.email_address import address_as_sent, email_address
from service.domain.errors import InvalidValue
from service.domain.staff import Therapist
from service.domain.values import Actor, Role

DESK = Actor(user_id="d", role=Role.FRONT_DESK)


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("cora\u2028@example.org", "LINE SEPARATOR"),
        ('"\x0b"@example.org', "U+000B"),
        ("cora@example.org\r\nBcc: all@example.org", "not a usable email address"),
        ("zoë@example.org", "beyond ASCII before the @"),
        ("cora@localhost", "period"),
        ("not-an-address", "@"),
    ],
)
def test_an_address_a_reminder_cannot_go_to_is_refused_saying_why(bad: str, says: str) -> None:
    with pytest.raises(InvalidValue, match="^email ") as refused:
        email_address("email", bad)
    assert says in str(refused.value)


def test_an_international_domain_is_kept_as_written_and_sent_to_in_ascii() -> None:
    address = email_address("email", "cora@Exämple.ORG")
    assert address == "cora@exämple.org"
    assert address_as_sent(address) == "cora@xn--exmple-cua.org"
    assert address_as_sent("cora@example.org") == "cora@example.org"
    with pytest.raises(InvalidValue, match="not a usable email address"):
        address_as_sent("no-at-sign")  # as one stored before the rule might be


def test_no_address_stays_no_address() -> None:
    assert email_address("email", "") == ""


def test_a_client_cannot_be_registered_or_changed_to_an_unusable_address() -> None:
    with pytest.raises(InvalidValue, match="LINE SEPARATOR"):
        Client.register(
            name="Cora", email="cora\u2028@example.org", phone="", zone="UTC", notes="", actor=DESK
        )
    client = Client.register(
        name="Cora", email="Cora@Example.org", phone="", zone="UTC", notes="", actor=DESK
    )
    assert client.email == "Cora@example.org"
    with pytest.raises(InvalidValue, match="beyond ASCII"):
        client.update({"email": "zoë@example.org"}, DESK)
    client.update({"email": ""}, DESK)
    assert client.email == ""


def test_a_therapist_cannot_be_registered_with_an_unusable_address() -> None:
    with pytest.raises(InvalidValue, match="U\\+000B"):
        Therapist.register(name="Ada", email='"\x0b"@example.org', modalities=(), actor=DESK)
