"""What the views share: the application of this process and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast

from flask import current_app

from service.application import Regimen
from service.config import Settings


def regimen() -> Regimen:
    """The eventsourcing application built for this process."""
    return cast(Regimen, current_app.extensions["regimen"])


def settings() -> Settings:
    """The settings this app was built with."""
    return cast(Settings, current_app.extensions["regimen.settings"])


def now() -> datetime:
    """The current instant from the app's clock (a fixed one in tests)."""
    clock = cast(Callable[[], datetime], current_app.extensions["regimen.clock"])
    return clock()


def etag(version: int | None) -> dict[str, str]:
    """The ETag header of a resource at this version."""
    return {"ETag": f'"{version}"'}
