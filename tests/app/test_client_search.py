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


NAMESAKES = ("Ada Robinson", "Robin Hart", "Cora Lane", "Ada Robinson", "Robin Hart", "Bo Lane")


@pytest.fixture
def namesakes(regimen: Regimen) -> ReadModel:
    """Clients sharing names (the page's order then rests on their ids), some of them
    holding the text only in their email."""
    for n, name in enumerate(NAMESAKES * 2):
        email = f"robin.fan{n}@example.org" if name == "Cora Lane" else f"c{n}@example.org"
        regimen.register_client(
            ClientDetails(name=name, email=email, phone=f"+4477009{n:05d}", zone=ZONE), actor=DESK
        )
    return ReadModel(Projector(regimen)).fresh()


def every_page(reads: ReadModel, query: str, limit: int) -> list[tuple[str, str]]:
    """The names and ids of every page of a search, followed by its cursors (a page that
    never ends the list stops it after as many pages as there are clients)."""
    found: list[tuple[str, str]] = []
    cursor = None
    for _ in NAMESAKES * 2:
        page = reads.directory("client", query, limit=limit, cursor=cursor)
        found += [(row["name"], row["id"]) for row in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    return found


def holding(reads: ReadModel, query: str) -> list[tuple[str, str]]:
    """The clients whose name, email or phone holds the text, in the directory's order."""
    rows = reads.directory("client", limit=500).items
    text = query.casefold()
    return [
        (row["name"], row["id"])
        for row in rows
        if any(text in row[field].casefold() for field in ("name", "email", "phone"))
    ]


@pytest.mark.parametrize("budget", [1, 3, 5000])
@pytest.mark.parametrize("query", ["robin", "ada rob", "robinson", "lane", "hart", "n.fan"])
@pytest.mark.parametrize("limit", [1, 50])
def test_every_page_of_a_search_is_the_same_by_walking_the_names_within_a_budget_or_by_index(
    namesakes: ReadModel,
    monkeypatch: pytest.MonkeyPatch,
    budget: int,
    query: str,
    limit: int,
) -> None:
    monkeypatch.setattr(search, "COMMON", 10**9)  # SQLite: no text is common
    monkeypatch.setattr(search, "WALK_BUDGET", 0)  # PostgreSQL: no sample makes one common
    by_index = every_page(namesakes, query, limit)
    monkeypatch.setattr(search, "COMMON", 1)  # every text held is common: walked first
    monkeypatch.setattr(search, "WALK_BUDGET", budget)  # pages past it are found by index
    by_walking = every_page(namesakes, query, limit)

    assert by_walking == by_index == holding(namesakes, query)
    assert len(by_index) >= 2


def test_a_common_text_is_walked_and_a_rare_one_is_not(
    namesakes: ReadModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "COMMON", 4)  # SQLite: 4 of the 12 clients
    monkeypatch.setattr(search, "WALK_BUDGET", 10)  # PostgreSQL: a page of 2 in 10 names
    postgres = namesakes.postgres

    assert search.worth_walking(namesakes.recorder, "client", "robin", 1, postgres=postgres)
    assert not search.worth_walking(namesakes.recorder, "client", "fan8", 1, postgres=postgres)


# The step-bounded walk is SQLite's (PostgreSQL's walk reads a LIMITed subquery, and cannot
# tell the directory's end from its budget's).
SQLITE_VIEWS = pytest.mark.parametrize("database_url", ["memory", "sqlite"], indirect=True)


@SQLITE_VIEWS
def test_a_walk_on_sqlite_stops_when_its_steps_run_out(namesakes: ReadModel) -> None:
    sql = "SELECT name, id FROM rv_directory WHERE kind = %s ORDER BY name, id"
    every = namesakes.recorder.query(sql, ["client"])

    assert namesakes.recorder.query_within(sql, ["client"], 10**6) == every
    # A row takes several steps (read each column, yield the row, go to the next).
    assert namesakes.recorder.query_within(sql, ["client"], len(every)) is None
    assert namesakes.recorder.query_within(sql, ["client"], 0) is None
    assert namesakes.recorder.query(sql, ["client"]) == every  # the connection reads on


@SQLITE_VIEWS
@pytest.mark.parametrize(("budget", "walked"), [(5000, True), (1, False)])
def test_a_common_text_is_found_by_walking_only_within_the_budget(
    namesakes: ReadModel, monkeypatch: pytest.MonkeyPatch, budget: int, walked: bool
) -> None:
    by_index = every_page(namesakes, "robin", 2)
    monkeypatch.setattr(search, "COMMON", 1)  # SQLite: every text held is common
    monkeypatch.setattr(search, "WALK_BUDGET", budget)
    asked: list[str] = []
    matching = search.matching
    monkeypatch.setattr(search, "matching", lambda *a, **k: asked.append(a[2]) or matching(*a, **k))

    assert every_page(namesakes, "robin", 2) == by_index
    assert (asked == []) is walked


@SQLITE_VIEWS
def test_the_steps_counted_a_name_are_what_sqlite_takes_to_walk_one(
    reads: ReadModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLITE_STEPS_PER_NAME turns the budget of names into steps: a walk of 10% more
    names' steps than the directory holds reaches its end, one of 10% fewer does not
    (13 steps a name, which this constant was, walked twice the budget)."""
    insert = (
        "INSERT INTO rv_directory (kind, id, name, email, phone, zone, search, entry)"
        " VALUES (%s, %s, %s, '', '', %s, %s, %s)"
    )
    added = [
        (insert, ("client", f"walk-{n:05d}", f"Walker {n:05d}", ZONE, f"walker {n:05d}", 10**6 + n))
        for n in range(3000)
    ]
    reads.recorder.recorder.write(added, [])  # under the read-only face the projector writes by
    held = len(added) + len(PEOPLE)
    nowhere = search.like_pattern("held by nobody")

    def walk(names: int) -> list[dict[str, object]] | None:
        monkeypatch.setattr(search, "WALK_BUDGET", names)
        return search.walked(reads.recorder, "client", nowhere, None, 20, postgres=False)

    assert walk(held * 11 // 10) == []  # the directory's end, nothing holding the text
    assert walk(held * 9 // 10) is None  # stopped before it
