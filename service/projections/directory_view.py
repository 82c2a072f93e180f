"""The directory view: clients, therapists, rooms and payers by name, for lists and search."""

from __future__ import annotations

from typing import Any

from service.domain.client import Client
from service.domain.payer import Payer
from service.domain.staff import Room, Therapist
from service.projections.directory_keys import keyed, lookup
from service.projections.erasure_purge import directory_purged
from service.projections.rows import Write
from service.projections.view import Handler, View, text

DIRECTORY_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_directory ("
    " kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL,"
    " phone TEXT NOT NULL, zone TEXT NOT NULL, search TEXT NOT NULL, PRIMARY KEY (kind, id))",
    "CREATE INDEX IF NOT EXISTS rv_directory_by_name ON rv_directory (kind, name, id)",
)


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
                "INSERT INTO rv_directory VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (kind, id) DO NOTHING",
                (
                    kind,
                    text(event.originator_id),
                    name,
                    email,
                    phone,
                    getattr(event, "zone", ""),
                    searched,
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
    drop=("DROP TABLE IF EXISTS rv_directory",),
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
