"""Events stored before charts were scoped still replay: the new fields take their defaults."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.access import PlanAccessDay
from service.domain.clinic import Clinic, ClinicSettings
from service.domain.users import User
from service.domain.values import Role, SessionStatus
from tests.builders import ADMIN, WEEKDAYS_8_TO_20
from tests.plans import performed_plan
from tests.stored import as_stored_before, replayed

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)


@pytest.fixture
def regimen() -> Iterator[Regimen]:
    """The application in memory (only its mapper is used)."""
    app = build_regimen(Settings(database_url="memory://"))
    yield app
    app.close()


def test_a_clinic_configured_before_the_setting_keeps_its_charts_closed(regimen: Regimen) -> None:
    clinic = Clinic(ADMIN)
    clinic.configure(
        ClinicSettings(
            name="Old Clinic",
            zone="Europe/London",
            opening_hours=WEEKDAYS_8_TO_20,
            cancellation_window_hours=24,
            late_cancel_counts=False,
            charts_open_to_all_therapists=True,
        ),
        ADMIN,
    )

    old = replayed(regimen, as_stored_before(regimen, clinic, "charts_open_to_all_therapists"))

    assert old.charts_open_to_all_therapists is False
    assert old.name == "Old Clinic"


def test_a_therapist_user_added_before_linking_is_linked_to_no_one(regimen: Regimen) -> None:
    user = User(token_hash="0" * 64, name="Old Therapist", role=Role.THERAPIST, actor=ADMIN)
    user.link_therapist(uuid4(), ADMIN)
    user.pending_events.pop()  # a release before linking stored only UserAdded

    old = replayed(regimen, as_stored_before(regimen, user, "therapist_id"))

    assert old.therapist_id is None


def test_a_read_logged_before_break_glass_existed_has_no_reason(regimen: Regimen) -> None:
    log = PlanAccessDay(plan_id=uuid4(), day=date(2026, 3, 2), actor=ADMIN, timestamp=NOW)
    log.record_view(actor=ADMIN, record="plan", detail="", via="api", timestamp=NOW, reason="x")

    assert json.loads(regimen.mapper.to_stored_event(log.pending_events[-1]).state)["reason"] == "x"
    stored = as_stored_before(regimen, log, "reason")
    view = regimen.mapper.to_domain_event(stored[-1])

    assert getattr(view, "reason", "") == ""
    assert replayed(regimen, stored).views == 1


def test_a_session_performed_before_procedure_codes_replays_with_none_billed(
    regimen: Regimen,
) -> None:
    plan = performed_plan()
    stored = as_stored_before(regimen, plan, "billed", "procedures")
    assert any(b"SessionPerformed" in r.topic.encode() for r in stored)

    old = replayed(regimen, stored)

    session = old.sessions[0]
    assert session.status is SessionStatus.PERFORMED
    assert (session.performance.procedures, session.billed) == ((), ())
