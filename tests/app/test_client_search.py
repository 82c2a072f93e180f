"""Client search by index: the rows found are those the plain `LIKE` finds, kept true on change."""

from __future__ import annotations

from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import ClientDetails
from service.projections import search
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import DESK, ZONE

PEOPLE = (
    ("Hannah Fischer", "hannah@example.org", "+447700900101"),
    ("Johanna Hanley", "jo@example.org", "+447700900102"),
    ("Samuel Adeyemi", "sam@hannah-clinic.example", "+447700900103"),
    ("Ottoline Quibble", "oq@rare.example", "+15550001234"),
)


@pytest.fixture
def reads(regimen: Regimen) -> ReadModel:
    for name, email, phone in PEOPLE:
        regimen.register_client(
            ClientDetails(name=name, email=email, phone=phone, zone=ZONE), actor=DESK
        )
    return ReadModel(Projector(regimen)).fresh()


def names(reads: ReadModel, query: str) -> list[str]:
    return [row["name"] for row in reads.directory("client", query).items]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("hann", ["Hannah Fischer", "Johanna Hanley", "Samuel Adeyemi"]),
        ("HANNAH", ["Hannah Fischer", "Samuel Adeyemi"]),
        ("quibble", ["Ottoline Quibble"]),
        ("oq@rare", ["Ottoline Quibble"]),
        ("+1555000", ["Ottoline Quibble"]),
        ("h f", ["Hannah Fischer"]),
        ("hx", []),
        ("quibblez", []),
        ("h fi", ["Hannah Fischer"]),
        ("an", ["Hannah Fischer", "Johanna Hanley", "Samuel Adeyemi"]),
        ("q", ["Ottoline Quibble"]),
    ],
)
def test_a_search_finds_every_client_holding_the_text_by_index_or_by_walking_the_names(
    reads: ReadModel, monkeypatch: pytest.MonkeyPatch, query: str, found: list[str]
) -> None:
    by_index = names(reads, query)
    monkeypatch.setattr(search, "FEW", 1)  # every text is common: the names are walked
    by_walking = names(reads, query)

    assert by_index == by_walking == found


def test_a_client_whose_name_changed_is_found_by_the_new_name_only(
    regimen: Regimen, reads: ReadModel
) -> None:
    client_id = reads.directory("client", "quibble").items[0]["id"]

    regimen.update_client(UUID(client_id), {"name": "Ottoline Marchbanks"}, DESK)
    reads.fresh()

    assert names(reads, "quibble") == []
    assert names(reads, "marchbank") == ["Ottoline Marchbanks"]


def test_a_rebuilt_directory_is_searched_as_before(regimen: Regimen, reads: ReadModel) -> None:
    before = {query: names(reads, query) for query in ("hann", "quibble", "example.org")}

    reads.projector.rebuild(["directory"])

    assert {query: names(reads, query) for query in before} == before


def test_plans_are_found_by_part_of_their_clients_name_by_the_same_search(
    regimen: Regimen, plan_id: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = ReadModel(Projector(regimen)).fresh()
    by_index = [row["plan_id"] for row in reads.plans(client_name="cora cli").items]
    monkeypatch.setattr(search, "FEW", 1)
    by_walking = [row["plan_id"] for row in reads.plans(client_name="cora cli").items]

    assert by_index == by_walking == [str(plan_id)]
    assert reads.plans(client_name="dan cli").items == []
