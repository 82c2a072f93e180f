"""The directory view: clients, therapists, rooms and payers by name, for lists and search."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.adapters.dialects import OnlyOn
from service.domain.client import Client
from service.domain.payer import Payer
from service.domain.staff import Room, Therapist
from service.projections.directory_keys import keyed, lookup
from service.projections.erasure_purge import directory_purged
from service.projections.rows import Write
from service.projections.view import Handler, View, text

SEARCH_INDEXES = (
    # PostgreSQL: a trigram index serves `search LIKE '%...%'` (the extension is made by the
    # schema steps, in `public`, the one schema every Regimen schema of a database can see).
    # Without `fastupdate` a new row goes straight into the index: with it, rows wait in a
    # pending list that every search reads through until a vacuum (10 ms at 100k clients).
    OnlyOn(
        "postgres",
        "CREATE INDEX IF NOT EXISTS rv_directory_by_search ON rv_directory"
        " USING gin (search public.gin_trgm_ops) WITH (fastupdate = off)",
    ),
    # SQLite: an FTS5 trigram table over the same text, keyed by `entry` (a number taken
    # from the id, stable where a rowid may change on VACUUM) and kept by triggers, so
    # every write of a row (a rebuild's, an erasure's) keeps it true.
    OnlyOn(
        "sqlite",
        "CREATE VIRTUAL TABLE IF NOT EXISTS rv_directory_search"
        " USING fts5(search, tokenize = 'trigram')",
    ),
    OnlyOn("sqlite", "CREATE INDEX IF NOT EXISTS rv_directory_by_entry ON rv_directory (entry)"),
    OnlyOn(
        "sqlite",
        "CREATE TRIGGER IF NOT EXISTS rv_directory_searchable AFTER INSERT ON rv_directory"
        " BEGIN INSERT INTO rv_directory_search (rowid, search) VALUES (new.entry, new.search);"
        " END",
    ),
    OnlyOn(
        "sqlite",
        "CREATE TRIGGER IF NOT EXISTS rv_directory_research AFTER UPDATE OF search"
        " ON rv_directory BEGIN UPDATE rv_directory_search SET search = new.search"
        " WHERE rowid = old.entry; END",
    ),
    OnlyOn(
        "sqlite",
        "CREATE TRIGGER IF NOT EXISTS rv_directory_unsearchable AFTER DELETE ON rv_directory"
        " BEGIN DELETE FROM rv_directory_search WHERE rowid = old.entry; END",
    ),
)
DIRECTORY_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_directory ("
    " kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL,"
    " phone TEXT NOT NULL, zone TEXT NOT NULL, search TEXT NOT NULL, entry BIGINT NOT NULL,"
    " PRIMARY KEY (kind, id))",
    # `search` too: a search walking the names in order reads the index alone.
    "CREATE INDEX IF NOT EXISTS rv_directory_by_name ON rv_directory (kind, name, id, search)",
    *SEARCH_INDEXES,
)


def search_entry(originator_id: UUID) -> int:
    """The row's number in the SQLite search table: the id's top 63 bits."""
    return originator_id.int >> 65


def _search_text(*parts: str) -> str:
    return " ".join(p.casefold() for p in parts if p)


def _listed(kind: str) -> Handler:
    def handler(event: Any, _: int) -> list[Write]:
        name = event.name
        email = getattr(event, "email", "")
        phone = getattr(event, "phone", "")
        if kind == "client" and keyed():
            email, phone = lookup(email), lookup(phone)
            searched = _search_text(name)
        else:
            searched = _search_text(name, email, phone)
        return [
            (
                "INSERT INTO rv_directory (kind, id, name, email, phone, zone, search, entry)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (kind, id) DO NOTHING",
                (
                    kind,
                    text(event.originator_id),
                    name,
                    email,
                    phone,
                    getattr(event, "zone", ""),
                    searched,
                    search_entry(event.originator_id),
                ),
            )
        ]

    return handler


def _client_changed(event: Any, _: int) -> list[Write]:
    changes = {k: v for k, v in event.changes.items() if k in ("name", "email", "phone", "zone")}
    if not changes:
        return []
    if keyed():
        changes = {k: lookup(v) if k in ("email", "phone") else v for k, v in changes.items()}
    searched = "LOWER(name)" if keyed() else "LOWER(name || ' ' || email || ' ' || phone)"
    assignments = ", ".join(f"{k} = %s" for k in changes)
    key = ("client", text(event.originator_id))
    return [
        (
            f"UPDATE rv_directory SET {assignments} WHERE kind = %s AND id = %s",
            (*changes.values(), *key),
        ),
        (
            f"UPDATE rv_directory SET search = {searched} WHERE kind = %s AND id = %s",
            key,
        ),
    ]


def _payer_listed(event: Any, position: int) -> list[Write]:
    return _listed("payer")(_Named(event.originator_id, event.terms.name), position)


def _payer_renamed(event: Any, _: int) -> list[Write]:
    name = event.terms.name
    return [
        (
            "UPDATE rv_directory SET name = %s, search = %s WHERE kind = %s AND id = %s",
            (name, _search_text(name), "payer", text(event.originator_id)),
        )
    ]


class _Named:
    """What the directory reads of a registered payer: its id and name."""

    def __init__(self, originator_id: Any, name: str):
        self.originator_id, self.name = originator_id, name


DIRECTORY = View(
    name="directory",
    tables=DIRECTORY_TABLES,
    clear=("DELETE FROM rv_directory",),
    drop=("DROP TABLE IF EXISTS rv_directory", "DROP TABLE IF EXISTS rv_directory_search"),
    version=2,  # 2: the search indexes
    handlers={
        Client.ClientRegistered: _listed("client"),
        Client.ClientDetailsChanged: _client_changed,
        Client.ClientErased: directory_purged,
        Therapist.TherapistRegistered: _listed("therapist"),
        Room.RoomAdded: _listed("room"),
        Payer.PayerRegistered: _payer_listed,
        Payer.PayerChanged: _payer_renamed,
    },
)
