"""Finding a client again before registering them twice, in the directory view."""

from __future__ import annotations

import pytest

from service.application import Regimen
from service.application.commands import ClientDetails
from service.domain.client import Client
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import DESK, ZONE


@pytest.fixture
def reads(regimen: Regimen) -> ReadModel:
    """Two clients: Erin with a number kept in E.164, and Old Olive whose number was
    stored as typed, before numbers were kept in E.164."""
    regimen.register_client(
        ClientDetails(
            name="Erin Walker",
            email="erin@example.org",
            phone="+44 7700 900102",
            zone=ZONE,
        ),
        actor=DESK,
    )
    # Made below Client.register, as a release before the phone rule stored it.
    regimen.save(
        Client(name="Old Olive", email="", phone="07700 900109", zone=ZONE, notes="", actor=DESK)
    )
    return ReadModel(Projector(regimen)).fresh()


def names(rows: list[dict[str, str]]) -> list[str]:
    return [row["name"] for row in rows]


def test_the_same_email_in_another_case_is_a_likely_duplicate(reads: ReadModel) -> None:
    found = reads.likely_duplicates("Someone Else", "ERIN@example.org", "", "GB")

    assert names(found) == ["Erin Walker"]


def test_the_same_name_and_number_is_a_likely_duplicate(reads: ReadModel) -> None:
    found = reads.likely_duplicates("erin walker", "", "+447700900102", "GB")

    assert names(found) == ["Erin Walker"]


def test_a_number_stored_as_typed_is_compared_as_the_clinics(reads: ReadModel) -> None:
    found = reads.likely_duplicates("Old Olive", "", "+447700900109", "GB")

    assert names(found) == ["Old Olive"]


@pytest.mark.parametrize(
    ("name", "email", "phone"),
    [
        ("Erin Walker", "", ""),  # the same name alone: two people may share it
        ("Erin Walker", "", "+447700900999"),
        ("Someone Else", "", "+447700900102"),  # a shared household number
        ("Someone Else", "other@example.org", ""),
    ],
)
def test_what_is_not_the_same_person_is_no_likely_duplicate(
    reads: ReadModel, name: str, email: str, phone: str
) -> None:
    assert reads.likely_duplicates(name, email, phone, "GB") == []
