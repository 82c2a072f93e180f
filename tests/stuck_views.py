"""A release whose directory view cannot apply one client's registration, for the tests of
views that stop at an event (a hand-written fake view, not a mock)."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

from service.application import Regimen
from service.application.commands import ClientDetails
from service.domain.client import Client
from service.projections.rows import Write
from service.projections.views import ALL_VIEWS, DIRECTORY, View
from tests.builders import DESK

POISON = "Poison Pete"


class RefusingDirectory:
    """The directory view of a release whose client handler fails on one name."""

    def __init__(self) -> None:
        self.attempts = 0
        listed = DIRECTORY.handlers[Client.ClientRegistered]

        def refusing(event: Any, position: int) -> list[Write]:
            if event.name == POISON:
                self.attempts += 1
                raise ValueError(f"cannot list {event.name!r}")
            return listed(event, position)

        handlers = {**DIRECTORY.handlers, Client.ClientRegistered: refusing}
        self.view = dataclasses.replace(DIRECTORY, handlers=handlers)

    def views(self) -> tuple[View, ...]:
        """Every view, with this directory in place of the real one."""
        return tuple(self.view if v.name == DIRECTORY.name else v for v in ALL_VIEWS)


def register(regimen: Regimen, name: str) -> UUID:
    """A client of that name, registered as the desk would."""
    return regimen.register_client(
        ClientDetails(name=name, email="c@example.org", zone="Europe/London"),
        actor=DESK,
    )
