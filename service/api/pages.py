"""Pagination in responses: the rows as a JSON array, the next page in Link and X-Next-Cursor."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request

from service.projections.paging import Page

NEXT_PAGE_HEADERS = {
    "Link": {
        "description": 'The next page: <url>; rel="next" (absent on the last page)',
        "schema": {"type": "string"},
    },
    "X-Next-Cursor": {
        "description": "The cursor of the next page (absent on the last page)",
        "schema": {"type": "string"},
    },
}


def window(query: dict[str, Any]) -> dict[str, Any]:
    """The page a query asks for, as the read model takes it: how many rows, after which."""
    return {"limit": query["limit"], "cursor": query["cursor"]}


def paged(page: Page) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """A list response with the headers that lead to the next page."""
    if page.next_cursor is None:
        return page.items, 200, {}
    args = request.args.to_dict()
    args["cursor"] = page.next_cursor
    link = f'<{request.path}?{urlencode(args)}>; rel="next"'
    return page.items, 200, {"Link": link, "X-Next-Cursor": page.next_cursor}
