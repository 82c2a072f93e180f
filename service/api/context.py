"""What the views share: the application, the clock and fresh reads (the same accessors
the web pages use), the settings, public addresses, and ETags."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from flask import current_app

from service.config import Settings
from service.http.context import (
    directory_search,
    likely_duplicates,
    now,
    public_url_for,
    reads,
    regimen,
    reminder_reads,
)

__all__ = [
    "directory_search",
    "etag",
    "feed_link_key",
    "likely_duplicates",
    "now",
    "public_url_for",
    "reads",
    "regimen",
    "reminder_reads",
    "settings",
]


def settings() -> Settings:
    """The settings this app was built with."""
    return cast(Settings, current_app.extensions["regimen.settings"])


def feed_link_key() -> bytes:
    """The key that checks the calendar links sent in clients' messages."""
    return cast(Callable[[], bytes], current_app.extensions["regimen.link_key"])()


def etag(version: int | None) -> dict[str, str]:
    """The ETag header of a resource at this version."""
    return {"ETag": f'"{version}"'}
