"""A read whose views are all current asks the database one question, not one per view."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from service.bootstrap import build_regimen
from service.config import Settings
from service.projections.projector import Projector
from tests.builders import ADMIN, small_clinic


def spied(target: Any, names: list[str], calls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Record, in `calls`, each call of these methods of `target` made from outside them
    (`tracked` runs its one statement through `query`: that is one call, not two)."""
    inside = [False]

    def recording(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if inside[0]:
                return method(*args, **kwargs)
            calls.append(name)
            inside[0] = True
            try:
                return method(*args, **kwargs)
            finally:
                inside[0] = False

        return call

    for name in names:
        monkeypatch.setattr(target, name, recording(name, getattr(target, name)))


def public_methods(target: Any) -> list[str]:
    return [
        name
        for name in dir(type(target))
        if not name.startswith("_") and callable(getattr(type(target), name))
    ]


@pytest.fixture
def projector(shared_database_url: str) -> Iterator[Projector]:
    regimen = build_regimen(Settings(database_url=shared_database_url))
    try:
        small_clinic(regimen)
        projector = Projector(regimen)
        assert projector.catch_up() > 0
        yield projector
    finally:
        regimen.close()


def test_a_catch_up_with_every_view_current_asks_one_statement(
    projector: Projector, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    spied(projector.recorder, public_methods(projector.recorder), calls, monkeypatch)
    log = projector.app.recorder
    reads = [name for name in public_methods(log) if name.startswith(("select", "max"))]
    spied(log, reads, calls, monkeypatch)

    assert projector.catch_up() == 0
    assert calls == ["tracked"]


def test_a_catch_up_behind_the_log_reads_on_and_then_stops_at_its_head(
    projector: Projector, monkeypatch: pytest.MonkeyPatch
) -> None:
    projector.app.add_room(name="Room Z", actor=ADMIN)
    calls: list[str] = []
    spied(projector.recorder, ["tracked"], calls, monkeypatch)

    assert projector.catch_up() >= 1
    assert calls == ["tracked", "tracked"]  # behind: read a batch; then current: stop
