"""The directory view: clients, therapists and rooms by name, for lists and search."""

from __future__ import annotations

from typing import Any

from service.domain.client import Client
from service.domain.staff import Room, Therapist
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
                    _search_text(name, email, phone),
                ),
            )
        ]

    return handler


def _client_changed(event: Any, _: int) -> list[Write]:
    changes = {k: v for k, v in event.changes.items() if k in ("name", "email", "phone", "zone")}
    if not changes:
        return []
    assignments = ", ".join(f"{k} = %s" for k in changes)
    key = ("client", text(event.originator_id))
    return [
        (
            f"UPDATE rv_directory SET {assignments} WHERE kind = %s AND id = %s",
            (*changes.values(), *key),
        ),
        (
            "UPDATE rv_directory SET search = LOWER(name || ' ' || email || ' ' || phone)"
            " WHERE kind = %s AND id = %s",
            key,
        ),
    ]


DIRECTORY = View(
    name="directory",
    tables=DIRECTORY_TABLES,
    clear=("DELETE FROM rv_directory",),
    drop=("DROP TABLE IF EXISTS rv_directory",),
    handlers={
        Client.ClientRegistered: _listed("client"),
        Client.ClientDetailsChanged: _client_changed,
        Therapist.TherapistRegistered: _listed("therapist"),
        Room.RoomAdded: _listed("room"),
    },
)
