"""A planned dump answers exactly what marshmallow's dump answers, for every role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import marshmallow as ma
import pytest
from flask import Flask, g
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import fields, post_dump

from service.api import dumping
from service.api.clinical import Redacted, clinical
from service.api.dumping import DumpMismatch, dump_with_plan, planned
from service.api.fields import Flag, LocalDateTime, Zone
from service.application.accounts import Account
from service.domain.values import Role, SessionStatus, SessionTime

REQUESTS = Flask(__name__)


@dataclass(frozen=True)
class Item:
    """An object to dump: values, a nested object with a property, dicts, lists."""

    number: int
    key: UUID
    status: SessionStatus | None
    on: date
    time: SessionTime | None
    note: dict[str, Any] | None
    notes: list[dict[str, Any]]
    tags: list[str]
    ratio: float


class NoteSchema(Redacted):
    title = fields.String()
    text = fields.String(data_key="note_text", metadata=clinical())
    pain = fields.Integer(allow_none=True, metadata=clinical())


class ItemSchema(Redacted):
    """Every kind of field a plan converts itself, and some it leaves to marshmallow."""

    number = fields.Integer()
    key = fields.UUID()
    status = fields.Enum(SessionStatus, by_value=True, allow_none=True)
    name = fields.Enum(SessionStatus, attribute="status", allow_none=True, dump_only=True)
    on = fields.Date()
    on_written = fields.Date(attribute="on", format="%d %b %Y", dump_only=True)  # strftime
    start_rfc = fields.DateTime(attribute="time.start", format="rfc", dump_only=True)
    start = fields.AwareDateTime(attribute="time.start")
    end = fields.AwareDateTime(attribute="time.end")  # a property
    local = LocalDateTime(attribute="time.local_start")
    zone = Zone(attribute="time.zone", dump_only=True)  # reads otherwise, writes as String
    booked = Flag(attribute="number", dump_only=True)  # writes otherwise: marshmallow's
    minutes = fields.Integer(attribute="time.minutes", dump_default=0)
    note = fields.Nested(NoteSchema, allow_none=True, metadata=clinical())
    notes = fields.List(fields.Nested(NoteSchema))
    titles = fields.Nested(
        NoteSchema, attribute="notes", many=True, only=("title",), dump_only=True
    )
    tags = fields.List(fields.String())
    ratio = fields.Float()
    missing = fields.String()  # no such attribute: left out
    fallback = fields.String(attribute="nowhere", dump_default="none")
    doubled = fields.Method("double")

    def double(self, item: Item | dict[str, Any]) -> int:
        return 2 * (item["number"] if isinstance(item, dict) else item.number)


class HookedSchema(ma.Schema):
    number = fields.Integer()

    @post_dump
    def add(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**data, "hooked": True}


notes = st.fixed_dictionaries(
    {"title": st.text(max_size=5), "text": st.text(max_size=5), "pain": st.none() | st.integers()}
)
instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1))
times = st.builds(
    SessionTime,
    instants.map(lambda t: t.replace(tzinfo=UTC)),
    st.just("UTC"),
    instants,
    st.integers(0, 240),
)
items = st.builds(
    Item,
    number=st.integers(-5, 500),
    key=st.uuids(),
    status=st.none() | st.sampled_from(SessionStatus),
    on=st.dates(min_value=date(1990, 1, 1)),
    time=st.none() | times,
    note=st.none() | notes,
    notes=st.lists(notes, max_size=3),
    tags=st.lists(st.text(max_size=4), max_size=3),
    ratio=st.floats(allow_nan=False, allow_infinity=False),
)


@contextmanager
def reading_as(role: Role) -> Iterator[None]:
    with REQUESTS.test_request_context():
        g.account = Account(user_id=uuid4(), name="Reader", role=role, revoked=False)
        yield


@given(items, st.sampled_from([Role.THERAPIST, Role.FRONT_DESK, Role.AUDITOR]))
def test_a_planned_dump_is_marshmallows_dump(item: Item, role: Role) -> None:
    schema, many = ItemSchema(), ItemSchema(many=True)
    with reading_as(role):
        assert dump_with_plan(schema, item) == ItemSchema().dump(item)
        assert dump_with_plan(many, [item, item]) == ItemSchema(many=True).dump([item, item])
        assert dump_with_plan(schema, item.__dict__) == ItemSchema().dump(item.__dict__)


@given(items)
def test_the_desk_never_gets_what_a_therapist_got_before_it(item: Item) -> None:
    """One schema answers each role in turn; its plans never cross."""
    schema = ItemSchema()
    with reading_as(Role.THERAPIST):
        therapist = dump_with_plan(schema, item)
    with reading_as(Role.FRONT_DESK):
        desk = dump_with_plan(schema, item)
    with reading_as(Role.THERAPIST):
        again = dump_with_plan(schema, item)

    assert "note" in therapist and "note" not in desk
    assert all("note_text" not in note for note in desk["notes"])
    assert [n["note_text"] for n in therapist["notes"]] == [n["text"] for n in item.notes]
    assert therapist == again


def test_a_schema_with_hooks_is_dumped_by_marshmallow_whole() -> None:
    assert dump_with_plan(HookedSchema(), {"number": 3}) == {"number": 3, "hooked": True}


def test_checking_catches_a_plan_that_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite's check (REGIMEN_CHECK_DUMPS) would fail any answer a plan got wrong."""
    monkeypatch.setenv("REGIMEN_CHECK_DUMPS", "1")
    monkeypatch.setattr(dumping, "_number", lambda num_type: lambda value: value + 1)
    schema = planned(ma.Schema.from_dict({"number": fields.Integer()})())
    with pytest.raises(DumpMismatch, match="dumped"):
        schema.dump({"number": 3})


@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from([None, UTC]),
)
def test_a_wall_time_is_written_as_strftime_writes_it(moment: datetime, zone: Any) -> None:
    moment = moment.replace(tzinfo=zone)

    assert LocalDateTime.formatted(moment) == moment.strftime("%Y-%m-%dT%H:%M")
