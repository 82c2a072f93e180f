"""A version 1 `TherapistRegistered`, stored as releases before phone numbers stored it, is
read as version 2 (no number) everywhere: replay, history, the event feed and every view."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from flask.testing import FlaskClient

from service.application import Regimen
from service.application.commands import TherapistDetails
from service.domain.staff import Therapist
from service.domain.values import Role
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.api.helpers import bearer
from tests.builders import ADMIN, small_clinic

OLD_THERAPIST = uuid.UUID("5f0c8e52-3c1e-4a43-9d8e-6f3f7c2b1a01")


def store_version_1(regimen: Regimen) -> None:
    """Insert the event as an older release stored it: its topic, and a state without
    `phone` and without `class_version` (the library writes that only above 1)."""
    assert regimen.mapper.cipher is None and regimen.mapper.compressor is None
    state = {
        "originator_id": OLD_THERAPIST,
        "originator_version": 1,
        "timestamp": datetime(2025, 11, 3, 9, 30, tzinfo=UTC),
        "originator_topic": get_topic(Therapist),
        "name": "Nora Lindqvist",
        "email": "nora@clinic.example",
        "modalities": ["sports massage"],
        "actor": ADMIN,
    }
    stored = StoredEvent(
        originator_id=OLD_THERAPIST,
        originator_version=1,
        topic=get_topic(Therapist.TherapistRegistered),
        state=regimen.mapper.transcoder.encode(state),
    )
    regimen.recorder.insert_events([stored])  # sealed like any other event


def test_a_version_1_therapist_registration_reads_as_version_2_everywhere(
    regimen: Regimen, client: FlaskClient
) -> None:
    small_clinic(regimen)  # version 2 events around it, before and after
    store_version_1(regimen)
    new_id = regimen.register_therapist(
        TherapistDetails(name="Ines Duarte", phone="+44 20 7946 0019"),
        actor=ADMIN,
    )

    # Replay (the repository, not a kept copy) and the history.
    therapist = regimen.repository.get(OLD_THERAPIST)
    assert isinstance(therapist, Therapist)
    assert (therapist.name, therapist.phone, therapist.modalities) == (
        "Nora Lindqvist",
        "",
        ["sports massage"],
    )
    [registered] = regimen.history(OLD_THERAPIST)
    assert isinstance(registered, Therapist.TherapistRegistered)
    assert registered.phone == ""
    assert regimen.load(Therapist, new_id).phone == "+442079460019"

    # What is stored now: version 2 says so; the old row stays as it was, and sealed.
    [new_row] = regimen.recorder.select_events(new_id)
    assert regimen.mapper.transcoder.decode(new_row.state)["class_version"] == 2
    [old_row] = regimen.recorder.select_events(OLD_THERAPIST)
    assert "phone" not in regimen.mapper.transcoder.decode(old_row.state)
    assert regimen.verify_log().ok

    # The event feed.
    _, token = regimen.add_user("auditor", Role.AUDITOR, ADMIN)
    feed = client.get("/api/v1/events?limit=500", headers=bearer(token))
    assert feed.status_code == 200, feed.get_data(as_text=True)
    [old] = [e for e in feed.json["events"] if _is(e, OLD_THERAPIST)]
    assert old["type"] == "TherapistRegistered"
    assert old["data"]["phone"] == ""
    assert old["data"]["name"] == "Nora Lindqvist"

    # Every view, rebuilt from the whole log.
    projector = Projector(regimen)
    projector.rebuild()
    assert projector.stuck == {}
    head = regimen.recorder.max_notification_id()
    assert set(projector.positions().values()) == {head}
    reads = ReadModel(projector)
    rows = reads.fresh().directory("therapist", "Nora").items
    assert [(r["id"], r["phone"]) for r in rows] == [(str(OLD_THERAPIST), "")]
    found = reads.directory("therapist", "2079460019").items  # a version 2 phone is searchable
    assert [(r["id"], r["phone"]) for r in found] == [(str(new_id), "+442079460019")]
    audited = reads.audit(originator_id=str(OLD_THERAPIST)).items
    assert [row["event_type"] for row in audited] == ["TherapistRegistered"]


def _is(record: dict[str, Any], aggregate_id: uuid.UUID) -> bool:
    return str(record.get("aggregate_id") or record.get("originator_id")) == str(aggregate_id)
