"""Searching and paging the views: wildcards match literally, forged cursors are refused."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from service.application import Regimen
from service.domain.errors import InvalidValue
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import DESK, ZONE


@pytest.fixture
def reads(regimen: Regimen) -> ReadModel:
    """Clients whose names hold the characters LIKE treats as wildcards."""
    for name in ("100% Fit", "Ann_Lee", "Bob Plain", "Excla!m"):
        regimen.register_client(actor=DESK, name=name, email="", phone="", notes="", zone=ZONE)
    return ReadModel(Projector(regimen)).fresh()


def names(reads: ReadModel, query: str) -> list[str]:
    return [row["name"] for row in reads.directory("client", query).items]


@pytest.mark.parametrize(
    ("query", "found"), [("%", ["100% Fit"]), ("_", ["Ann_Lee"]), ("!", ["Excla!m"])]
)
def test_a_search_for_a_wildcard_character_matches_it_literally(
    reads: ReadModel, query: str, found: list[str]
) -> None:
    assert names(reads, query) == found


def test_a_search_holding_a_nul_matches_nothing_instead_of_failing(reads: ReadModel) -> None:
    assert names(reads, "Bob\x00") == []


def forged(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


FORGED = [
    forged([{"a": 1}, "x"]),
    forged([2**70, "x"]),
    forged(["x", 1]),
    forged(["nul\x00", "x"]),
    forged([True, "x"]),
]


@pytest.mark.parametrize("cursor", FORGED)
def test_a_forged_directory_cursor_is_an_invalid_value(reads: ReadModel, cursor: str) -> None:
    with pytest.raises(InvalidValue, match="cursor"):
        reads.directory("client", cursor=cursor)


@pytest.mark.parametrize(
    "cursor", [forged([2**70]), forged(["7"]), forged([{"a": 1}]), forged([1.5])]
)
def test_a_forged_audit_cursor_is_an_invalid_value(reads: ReadModel, cursor: str) -> None:
    with pytest.raises(InvalidValue, match="cursor"):
        reads.audit(cursor=cursor)


@pytest.mark.parametrize("cursor", [forged(["2026", "x", 2**70]), forged(["2026", "x", "1"])])
def test_a_forged_session_cursor_is_an_invalid_value(reads: ReadModel, cursor: str) -> None:
    with pytest.raises(InvalidValue, match="cursor"):
        reads.sessions_between("0000", "9999", cursor=cursor)


def test_a_cursor_given_out_still_pages_on(reads: ReadModel) -> None:
    first = reads.directory("client", limit=2)

    second = reads.directory("client", limit=2, cursor=first.next_cursor)

    assert [r["name"] for r in first.items + second.items] == [
        "100% Fit",
        "Ann_Lee",
        "Bob Plain",
        "Excla!m",
    ]
