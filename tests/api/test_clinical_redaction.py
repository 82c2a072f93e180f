"""Redacted schemas leave the clinical fields out for the desk, at every depth, and only them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

import marshmallow as ma
from flask import Flask, g
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import fields

from service.api.clinical import Redacted, clinical, clinical_fields
from service.application.accounts import Account
from service.domain.values import Role

REQUESTS = Flask(__name__)


class NoteSchema(Redacted):
    """A nested schema with a clinical field of its own, one dumped under another name."""

    title = fields.String()
    text = fields.String(data_key="note_text", metadata=clinical())
    pain = fields.Integer(allow_none=True, metadata=clinical("Pain"))


class VisitSchema(Redacted):
    """A schema whose clinical field is itself nested."""

    number = fields.Integer()
    note = fields.Nested(NoteSchema, metadata=clinical())
    reminder = fields.Nested(NoteSchema)
    titles = fields.Nested(NoteSchema(only=("title", "text")), attribute="reminder", dump_only=True)


class DayOutSchema(ma.Schema):
    """A schema with no clinical field, holding Redacted ones."""

    day = fields.String()
    visits = fields.List(fields.Nested(VisitSchema))
    first = fields.Nested(VisitSchema, allow_none=True)


@contextmanager
def reading_as(role: Role) -> Iterator[None]:
    with REQUESTS.test_request_context():
        g.account = Account(user_id=uuid4(), name="Reader", role=role, revoked=False)
        yield


def without_clinical(dumped: Any, schema: type[ma.Schema]) -> Any:
    """What the desk was sent before: the full dump, each Redacted level's clinical keys
    (under the names they are dumped as) removed after the fact."""
    if isinstance(dumped, list):
        return [without_clinical(item, schema) for item in dumped]
    if not isinstance(dumped, dict):
        return dumped
    declared = schema._declared_fields
    clinical_keys = {
        field.data_key or name
        for name, field in declared.items()
        if name in clinical_fields(schema)
    }
    kept = {}
    for name, field in declared.items():
        key = field.data_key or name
        if key in dumped and key not in clinical_keys:
            inner = field.inner if isinstance(field, fields.List) else field
            nested = inner.schema if isinstance(inner, fields.Nested) else None
            value = dumped[key]
            kept[key] = without_clinical(value, type(nested)) if nested is not None else value
    return kept


notes = st.fixed_dictionaries(
    {
        "title": st.text(max_size=10),
        "text": st.text(max_size=10),
        "pain": st.none() | st.integers(0, 10),
    }
)
visits = st.fixed_dictionaries({"number": st.integers(1, 40), "note": notes, "reminder": notes})
days = st.fixed_dictionaries(
    {
        "day": st.text(max_size=10),
        "visits": st.lists(visits, max_size=4),
        "first": st.none() | visits,
    }
)


def test_the_clinical_fields_of_a_schema_are_its_fields_marked_clinical() -> None:
    assert clinical_fields(NoteSchema) == {"text", "pain"}
    assert clinical_fields(VisitSchema) == {"note"}
    assert clinical_fields(DayOutSchema) == frozenset()


def test_the_therapist_receives_every_field() -> None:
    note = {"title": "t", "text": "sore", "pain": 3}
    with reading_as(Role.THERAPIST):
        dumped = VisitSchema().dump({"number": 1, "note": note, "reminder": note})

    assert dumped == {
        "number": 1,
        "note": {"title": "t", "note_text": "sore", "pain": 3},
        "reminder": {"title": "t", "note_text": "sore", "pain": 3},
        "titles": {"title": "t", "note_text": "sore"},
    }


def test_the_desk_receives_no_clinical_field_at_any_depth() -> None:
    note = {"title": "t", "text": "sore", "pain": 3}
    with reading_as(Role.FRONT_DESK):
        dumped = DayOutSchema().dump(
            {"day": "Mon", "visits": [], "first": {"number": 1, "note": note, "reminder": note}}
        )

    assert dumped == {
        "day": "Mon",
        "visits": [],
        "first": {"number": 1, "reminder": {"title": "t"}, "titles": {"title": "t"}},
    }


@given(days)
def test_the_desk_receives_the_full_answer_less_its_clinical_fields(day: dict[str, Any]) -> None:
    schema, many = DayOutSchema(), DayOutSchema(many=True)
    with reading_as(Role.THERAPIST):
        full, full_many = schema.dump(day), many.dump([day, day])
    with reading_as(Role.FRONT_DESK):
        desk, desk_many = schema.dump(day), many.dump([day, day])

    assert desk == without_clinical(full, DayOutSchema)
    assert desk_many == without_clinical(full_many, DayOutSchema)


@given(visits)
def test_one_schema_answers_each_role_in_turn(visit: dict[str, Any]) -> None:
    schema = VisitSchema()
    with reading_as(Role.FRONT_DESK):
        desk = schema.dump(visit)
    with reading_as(Role.AUDITOR):
        auditor = schema.dump(visit)
    with reading_as(Role.FRONT_DESK):
        desk_again = schema.dump(visit)

    assert desk == desk_again == without_clinical(auditor, VisitSchema)
    assert auditor["note"]["note_text"] == visit["note"]["text"]
