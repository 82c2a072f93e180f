"""Pages of view rows in a stable order, and the cursors that carry a page's end to the next."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

from eventsourcing.cipher import AESCipher
from eventsourcing.utils import Environment

from service.domain.errors import InvalidCursor
from service.domain.text import unsafe_character

DEFAULT_LIMIT = 50
# The sort keys that are integer columns (a session's number, a log position); the rest are text.
INTEGER_KEYS = frozenset({"number", "position"})
MAX_LIMIT = 500
CURSOR_LABEL = b"regimen list cursors"  # this key seals nothing else
NOT_OURS = "the cursor is not one this service gave out for this list"


@dataclass(frozen=True)
class Page:
    """Some rows, and the cursor of the next page (None at the end)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


class Cursors:
    """Seals the sort key of a page's last row into an opaque cursor, and opens it again.

    A cursor travels in URLs, which are logged, cached and shared, and the sort key may be
    a client's name, so it is encrypted (AES-GCM) under a key derived from the server's
    secret: it reads as noise, and a cursor altered or forged by anyone is refused. The
    list's key names are sealed with it, so a cursor of one list is refused by another.
    Give every process the same secret, or a page made by one is refused by the next.
    """

    def __init__(self, key: bytes) -> None:
        environment = Environment(env={"CIPHER_KEY": base64.b64encode(key).decode()})
        self.cipher = AESCipher(environment)

    @classmethod
    def from_secret(cls, secret: str) -> Cursors:
        """Cursors under a key derived from the server's secret key, with its own label."""
        return cls(hmac.new(secret.encode(), CURSOR_LABEL, hashlib.sha256).digest())

    @classmethod
    def of_this_process(cls) -> Cursors:
        """Cursors only this process opens (a command-line read, a test)."""
        return cls(os.urandom(32))

    def seal(self, keys: tuple[str, ...], values: list[Any]) -> str:
        """The cursor of the position after a row whose sort key is `values`."""
        plain = json.dumps([list(keys), values], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(self.cipher.encrypt(plain)).decode().rstrip("=")

    def open(self, cursor: str | None, keys: tuple[str, ...]) -> list[Any] | None:
        """The sort key a cursor of this list stands for (None for no cursor), or
        InvalidCursor. What it holds is checked like any input all the same."""
        if not cursor:
            return None
        try:
            sealed = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            named, values = json.loads(self.cipher.decrypt(sealed))
        except ValueError:  # not base64, damaged, forged, or another list's
            raise InvalidCursor(NOT_OURS) from None
        if named != list(keys) or not isinstance(values, list) or len(values) != len(keys):
            raise InvalidCursor(NOT_OURS)
        if not all(map(_is_key_value, keys, values)):
            raise InvalidCursor(NOT_OURS)
        return values


def _is_key_value(key: str, value: Any) -> bool:
    if key in INTEGER_KEYS:
        return type(value) is int and -(2**63) <= value < 2**63
    return isinstance(value, str) and unsafe_character(value) is None


def keyset_page(
    recorder: Any,
    select: str,
    where: list[str],
    params: list[Any],
    order: tuple[tuple[str, str], ...],
    limit: int,
    cursor: str | None,
    cursors: Cursors,
    *,
    descending: bool = False,
) -> Page:
    """One page of `select ... WHERE where` in `order` (column, key pairs), after `cursor`.

    The cursor holds the sort key of the last row sent; the next page starts strictly
    after it, so rows inserted meanwhile never make a page repeat or skip a row.
    """
    keys = tuple(key for _, key in order)
    after = cursors.open(cursor, keys)
    if after:
        condition, condition_params = after_key(order, after, descending=descending)
        where = [*where, condition]
        params = [*params, *condition_params]
    direction = " DESC" if descending else ""
    sort = ", ".join(f"{column}{direction}" for column, _ in order)
    rows = recorder.query(
        f"{select} WHERE {' AND '.join(where)} ORDER BY {sort} LIMIT {limit + 1}", params
    )
    return page_of(rows, limit, keys, cursors)


def after_key(
    order: tuple[tuple[str, str], ...], after: list[Any], *, descending: bool = False
) -> tuple[str, list[Any]]:
    """The condition (and its parameters) for rows strictly after the sort key `after`."""
    beyond = "<" if descending else ">"
    condition = f"{order[-1][0]} {beyond} %s"
    condition_params = [after[-1]]
    for (column, _), value in zip(order[-2::-1], after[-2::-1], strict=True):
        condition = f"({column} {beyond} %s OR ({column} = %s AND {condition}))"
        condition_params = [value, value, *condition_params]
    return condition, condition_params


def page_of(
    rows: list[dict[str, Any]], limit: int, keys: tuple[str, ...], cursors: Cursors
) -> Page:
    """The first `limit` of rows read with `LIMIT limit + 1`, and the next page's cursor
    if there was one more."""
    more, rows = len(rows) > limit, rows[:limit]
    last = [rows[-1][key] for key in keys] if more and rows else None
    next_cursor = cursors.seal(keys, last) if last else None
    return Page(rows, next_cursor)
