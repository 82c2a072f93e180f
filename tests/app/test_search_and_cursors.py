"""Searching and paging the views: wildcards match literally; cursors are opaque, and forged
or altered ones are refused."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest

from service.application import Regimen
from service.application.commands import ClientDetails
from service.domain.errors import InvalidCursor, InvalidValue
from service.projections.paging import Cursors
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import DESK, ZONE


@pytest.fixture
def reads(regimen: Regimen) -> ReadModel:
    """Clients whose names hold the characters LIKE treats as wildcards."""
    for name in ("100% Fit", "Ann_Lee", "Bob Plain", "Excla!m"):
        regimen.register_client(ClientDetails(name=name, zone=ZONE), actor=DESK)
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


SECRET = "a server secret of at least thirty-two characters"


def test_a_cursor_names_no_client_even_to_whoever_decodes_it(reads: ReadModel) -> None:
    cursor = reads.directory("client", limit=2).next_cursor
    assert cursor is not None

    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))

    # Any 3 letters turn up in ~130 random base64 characters about once in
    # 250 cursors, so the text is searched for whole names as a URL would
    # carry them; the decoded bytes are searched for every part of a name.
    for name in ("Ann_Lee", "Ann", "Lee", "100% Fit"):
        assert name.encode() not in raw
    for name in ("Ann_Lee", "100% Fit"):
        assert quote(name).lower() not in cursor.lower()
    assert reads.cursors.open(cursor, ("name", "id"))[0] == "Ann_Lee"


def test_an_altered_cursor_is_refused(reads: ReadModel) -> None:
    cursor = reads.directory("client", limit=2).next_cursor
    assert cursor is not None
    altered = cursor[:20] + ("A" if cursor[20] != "A" else "B") + cursor[21:]

    with pytest.raises(InvalidCursor, match="cursor"):
        reads.directory("client", limit=2, cursor=altered)


def test_a_cursor_of_one_list_is_refused_by_another(reads: ReadModel) -> None:
    cursor = reads.directory("client", limit=2).next_cursor

    with pytest.raises(InvalidCursor, match="cursor"):
        reads.plans(cursor=cursor)


def test_processes_sharing_the_secret_open_each_others_cursors_and_no_other_does(
    regimen: Regimen, reads: ReadModel
) -> None:
    one, other = (ReadModel(Projector(regimen), Cursors.from_secret(SECRET)) for _ in "12")
    stranger = ReadModel(Projector(regimen), Cursors.from_secret(SECRET + "!"))
    cursor = one.directory("client", limit=3).next_cursor

    assert [r["name"] for r in other.directory("client", cursor=cursor).items] == ["Excla!m"]
    with pytest.raises(InvalidCursor):
        stranger.directory("client", cursor=cursor)
