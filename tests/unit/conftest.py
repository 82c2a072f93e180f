"""Fixtures the domain unit tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.application import Regimen


@pytest.fixture
def store() -> Iterator[Regimen]:
    """The application on an in-memory store."""
    app = Regimen(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield app
    app.close()
