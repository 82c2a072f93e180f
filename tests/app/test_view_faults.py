"""A view that cannot apply an event stops there alone; the others, and every reader of
them, go on; a release that can apply it resumes the view."""

from __future__ import annotations

import logging

import pytest

from service.application import Regimen
from service.domain.client import Client
from service.projections.faults import ViewStuck
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.views import ALL_VIEWS, AUDIT, DIRECTORY
from tests.stuck_views import DESK, POISON, RefusingDirectory, register


def names(reads: ReadModel) -> list[str]:
    """The clients' names, as the directory lists them."""
    return [row["name"] for row in reads.directory("client").items]


@pytest.fixture
def refusing() -> RefusingDirectory:
    """A directory that fails on the poison client."""
    return RefusingDirectory()


@pytest.fixture
def stuck(regimen: Regimen, refusing: RefusingDirectory) -> Projector:
    """A projector whose directory stopped at the poison client, between two others."""
    register(regimen, "Ann Able")
    register(regimen, POISON)
    register(regimen, "Bob Baker")
    projector = Projector(regimen, views=refusing.views())
    projector.catch_up()
    return projector


def test_a_view_that_cannot_apply_an_event_stops_just_before_it(
    regimen: Regimen, stuck: Projector
) -> None:
    fault = stuck.stuck[DIRECTORY.name]
    assert fault.event_type.endswith("ClientRegistered")
    assert "cannot list 'Poison Pete'" in fault.error
    assert stuck.positions()[DIRECTORY.name] == fault.position - 1
    assert {row["name"] for row in stuck.recorder.query("SELECT name FROM rv_directory")} >= {
        "Ann Able"
    }
    assert "Bob Baker" not in {
        row["name"] for row in stuck.recorder.query("SELECT name FROM rv_directory")
    }


def test_the_other_views_go_on_past_the_poison_event(regimen: Regimen, stuck: Projector) -> None:
    head = regimen.recorder.max_notification_id()
    positions = stuck.positions()
    assert all(positions[v.name] == head for v in ALL_VIEWS if v.name != DIRECTORY.name)
    reads = ReadModel(stuck)
    assert len(reads.fresh().audit(limit=500).items) == head


def test_reads_of_the_stuck_view_are_refused_naming_it(stuck: Projector) -> None:
    reads = ReadModel(stuck).fresh()
    with pytest.raises(ViewStuck) as refused:
        reads.directory("client")
    assert refused.value.fault.view == DIRECTORY.name
    assert "stuck at position" in str(refused.value)


def test_every_process_sees_the_fault_recorded_by_another(
    regimen: Regimen, stuck: Projector, refusing: RefusingDirectory
) -> None:
    other = Projector(regimen, views=refusing.views())
    other.catch_up()
    assert other.readiness()["views"][1]["fault"] == stuck.stuck[DIRECTORY.name]


def test_an_old_release_tries_the_event_once_per_catch_up_and_does_not_spin(
    stuck: Projector, refusing: RefusingDirectory
) -> None:
    before = refusing.attempts
    stuck.catch_up()
    stuck.catch_up()
    assert refusing.attempts == before + 2
    assert DIRECTORY.name in stuck.stuck


def test_a_release_that_applies_the_event_resumes_the_view_and_clears_the_fault(
    regimen: Regimen, stuck: Projector
) -> None:
    fixed = Projector(regimen)
    fixed.catch_up()
    assert fixed.stuck == {}
    assert names(ReadModel(fixed)) == ["Ann Able", "Bob Baker", POISON]
    assert fixed.recorder.query("SELECT * FROM rv_view_faults") == []
    stuck.catch_up()  # the old release learns it too
    assert stuck.stuck == {}


def test_a_rebuild_completes_the_other_views_and_reports_the_stuck_one(
    regimen: Regimen, stuck: Projector
) -> None:
    stuck.rebuild()
    head = regimen.recorder.max_notification_id()
    assert list(stuck.stuck) == [DIRECTORY.name]
    assert stuck.positions()[AUDIT.name] == head


def test_a_nul_in_a_client_name_does_not_stop_the_directory(regimen: Regimen) -> None:
    # The API refuses control characters; an event already stored keeps them, and the
    # view shows what it can (PostgreSQL text cannot hold NUL: it becomes U+FFFD there).
    # Stored as a release before the input checks would have stored it (the domain's own
    # guard now refuses it, so the event is made below it).
    regimen.save(
        Client(name="Nul\x00Byte", email="", phone="", zone="Europe/London", notes="", actor=DESK)
    )
    projector = Projector(regimen)
    projector.catch_up()
    assert projector.stuck == {}
    assert names(ReadModel(projector))[0] in {"Nul\x00Byte", "Nul\ufffdByte"}


def test_the_log_names_the_error_type_never_what_the_event_held(
    regimen: Regimen, refusing: RefusingDirectory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="regimen")
    register(regimen, POISON)
    Projector(regimen, views=refusing.views()).catch_up()
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "view directory is stuck" in logged and "ValueError" in logged
    assert "Poison" not in logged
