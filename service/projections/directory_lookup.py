"""Finding a client again before registering them twice: the directory looked up exactly.

Search (`ReadModel.directory`) matches part of a name as the desk types; this answers a
narrower question — is this person registered already? — by the same email, or the same
name and the same phone number. Numbers stored before they were kept in E.164 are read
as the clinic's (`region`) before they are compared.
"""

from __future__ import annotations

from typing import Any

from service.domain.errors import InvalidValue
from service.domain.phone_number import phone_number
from service.domain.text import unsafe_character
from service.projections.directory_keys import keyed, lookup

MOST = 10  # the desk reads a short list; more than this is no longer a likely duplicate


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _same_phone(stored: str, phone: str, region: str | None) -> bool:
    if not stored or not phone:
        return False
    if keyed():
        return stored == lookup(phone)  # kept hashed: `phone` is in E.164, as were they
    try:
        return phone_number("phone", stored, region) == phone
    except InvalidValue:
        return stored == phone  # a number stored before the rule, that it would refuse


def likely_duplicates(
    recorder: Any, name: str, email: str, phone: str, region: str | None
) -> list[dict[str, Any]]:
    """Registered clients with this email, or this name and phone (`phone` in E.164), by name."""
    if unsafe_character(name) or unsafe_character(email):
        return []  # no stored name or address holds one
    wanted, params = ["LOWER(name) = %s"], [" ".join(name.split()).lower()]
    if email:
        wanted.append("LOWER(email) = %s")
        params.append(lookup(email).lower())
    rows = recorder.query(
        "SELECT id, name, email, phone FROM rv_directory WHERE kind = 'client'"
        f" AND ({' OR '.join(wanted)}) ORDER BY name, id",
        params,
    )
    found = [
        row
        for row in rows
        if (email and row["email"].casefold() == lookup(email).casefold())
        or (_same_name(row["name"], name) and _same_phone(row["phone"], phone, region))
    ]
    return found[:MOST]
