"""Response schemas dumped by a plan worked out once per schema, not field by field.

marshmallow's dump asks every field, on every call, for its attribute path, its accessor,
its default and its serializer. A plan lists once, per schema instance, each field's key,
attribute path and converter, so that a dump is little more than the conversions
themselves. Measured in process on the answer to a booked series (208 fields): 0.34–0.39
ms by marshmallow, 0.20–0.21 ms by plan (the rest is formatting its 40 instants and 30
wall times).

Only fields that write their value as a marshmallow class does are planned (strings,
numbers, booleans, UUIDs, instants, dates and times by the field's own format function,
enums, nested schemas and lists, and subclasses that only read otherwise), with
marshmallow's own conversions, and local wall times by LocalDateTime's own; any other
field is serialized by its own marshmallow code, and a schema with dump hooks or an
accessor of its own is dumped by marshmallow whole. A `Redacted` schema dumps, for a
reader who may not see clinical details, through the copy of itself without them, as its
own dump does.

With REGIMEN_CHECK_DUMPS=1 (the test suite sets it) every planned dump is compared with
marshmallow's own and a difference raises: every response of every test is checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import fields
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.utils import ensure_text_type, get_value, missing

from service.api.auth import sees_clinical_details
from service.api.clinical import Redacted
from service.api.fields import LocalDateTime

Convert = Callable[[Any], Any]
# key, first name of the attribute path, the rest, field (None: whole), convert (None: as is)
Step = tuple[str, str, tuple[str, ...], Any, Any]
# marshmallow's own conversions, shared by the field classes that do not override them
_NUMBER, _NUMBER_FORMAT = fields.Number._serialize, fields.Number._format_num
_TEMPORAL = fields.DateTime._serialize  # its base class's, shared with Date and Time
CHECK = "REGIMEN_CHECK_DUMPS"
# Each schema instance's plan, by id (the schema kept with it, so the id stays its own). Not
# kept on the schema: Redacted's copy without clinical fields is a shallow copy of it.
_PLANS: dict[int, tuple[ma.Schema, list[Step] | None]] = {}
_ATTRIBUTES_ONLY: dict[type, bool] = {}


class DumpMismatch(AssertionError):
    """A planned dump differed from marshmallow's (REGIMEN_CHECK_DUMPS)."""


def planned(schema: ma.Schema) -> ma.Schema:
    """The schema, its dump replaced by the planned one (the schema is otherwise unchanged,
    so the OpenAPI document still describes it)."""
    original = schema.dump

    def dump(obj: Any, *, many: bool | None = None) -> Any:
        answer = dump_with_plan(schema, obj, many)
        if os.environ.get(CHECK) == "1" and answer != (expected := original(obj, many=many)):
            raise DumpMismatch(f"{type(schema).__name__} dumped {answer!r}, not {expected!r}")
        return answer

    schema.dump = dump  # type: ignore[method-assign]
    return schema


def dump_with_plan(schema: ma.Schema, obj: Any, many: bool | None = None) -> Any:
    """What `schema.dump(obj, many=many)` answers, by the schema's plan."""
    if isinstance(schema, Redacted) and not schema._is_desk_copy and not sees_clinical_details():
        schema = schema._without_clinical_fields()
    steps = _plan_of(schema)
    if steps is None:
        return type(schema).dump(schema, obj, many=many)
    if (schema.many if many is None else many) and obj is not None:
        return [_dumped(steps, item) for item in obj]
    return _dumped(steps, obj)


def _dumped(steps: list[Step], obj: Any) -> dict[str, Any]:
    answer = {}
    plain = _by_attribute(type(obj))
    for key, first, rest, field, convert in steps:
        if field is None:  # serialized whole, from the object, by the field itself
            value = convert(obj)
            if value is not missing:
                answer[key] = value
            continue
        value = getattr(obj, first, missing) if plain else _value_of(obj, first)
        for name in rest:
            value = _value_of(value, name)
        if value is missing:
            default = field.dump_default
            value = default() if callable(default) else default
            if value is missing:
                continue
        answer[key] = value if convert is None else convert(value)
    return answer


def _value_of(obj: Any, name: str) -> Any:
    """marshmallow's get_value for one name: obj[name], else getattr (as it does)."""
    if _by_attribute(type(obj)):
        return getattr(obj, name, missing)
    if type(obj) is dict:
        found = obj.get(name, missing)
        return getattr(obj, name, missing) if found is missing else found
    return get_value(obj, name, missing)


def _by_attribute(kind: type) -> bool:
    """Whether values of this type are read by getattr alone (they have no items)."""
    plain = _ATTRIBUTES_ONLY.get(kind)
    if plain is None:
        plain = _ATTRIBUTES_ONLY[kind] = not hasattr(kind, "__getitem__")
    return plain


def _plan_of(schema: ma.Schema) -> list[Step] | None:
    """The schema's plan (made once), or None where marshmallow must dump it whole."""
    kept = _PLANS.get(id(schema))
    if kept is None:
        plain = (
            not schema._hooks[PRE_DUMP]
            and not schema._hooks[POST_DUMP]
            and type(schema).get_attribute is ma.Schema.get_attribute
            and schema.dict_class is dict
        )
        steps = [_step(name, f) for name, f in schema.dump_fields.items()] if plain else None
        kept = _PLANS[id(schema)] = (schema, steps)
    return kept[1]


def _step(name: str, field: fields.Field) -> Step:
    key = field.data_key if field.data_key is not None else name
    own = type(field).serialize is not fields.Field.serialize or (
        type(field).get_value is not fields.Field.get_value
    )
    convert = None if own or not field._CHECK_ATTRIBUTE else _converter(field)
    if convert is None:

        def whole(obj: Any) -> Any:
            return field.serialize(name, obj, accessor=get_value)

        return key, "", (), None, whole
    first, *rest = (field.attribute if field.attribute is not None else name).split(".")
    return key, first, tuple(rest), field, None if convert is _same else convert


def _converter(field: fields.Field) -> Convert | None:
    """A field's conversion of its value, found by the conversion its class inherits (a
    subclass that only reads otherwise, such as Text or Zone, writes as its base does; one
    that writes otherwise is left to marshmallow), else None."""
    kind = type(field)
    serialize = kind._serialize
    plain = _PLAIN.get(serialize)
    if plain is not None:
        return plain
    if isinstance(field, fields.Number) and serialize is _NUMBER and not field.as_string:
        return None if type(field)._format_num is not _NUMBER_FORMAT else _number(field.num_type)
    if isinstance(field, fields.DateTime | fields.Date | fields.Time) and serialize is _TEMPORAL:
        formatted = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        return None if formatted is None else _none_or(formatted)  # else strftime: marshmallow's
    if isinstance(field, fields.Enum) and kind is fields.Enum:
        inner = _converter(field.field)
        name = "value" if field.by_value else "name"
        return None if inner is None else _none_or(lambda member: inner(getattr(member, name)))
    if isinstance(field, fields.Nested) and kind is fields.Nested:
        return _nested(field)
    if isinstance(field, fields.List) and kind is fields.List:
        each = _converter(field.inner)
        return None if each is None else _none_or(lambda items: [each(i) for i in items])
    return None


def _nested(field: fields.Nested) -> Convert:
    def convert(value: Any) -> Any:
        schema = field.schema
        return dump_with_plan(schema, value, schema.many or field.many)

    return _none_or(convert)


def _same(value: Any) -> Any:
    return value


def _text(value: Any) -> Any:
    return value if value is None or type(value) is str else ensure_text_type(value)


def _number(num_type: type) -> Convert:
    return lambda value: value if value is None or type(value) is num_type else num_type(value)


def _none_or(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


# The conversions that need nothing of the field, by the `_serialize` a field class inherits:
# marshmallow's as-is (Field, Raw, Boolean), its String's and UUID's, and LocalDateTime's.
_PLAIN: dict[Callable[..., Any], Convert] = {
    fields.Field._serialize: _same,
    fields.String._serialize: _text,
    fields.UUID._serialize: _none_or(str),
    LocalDateTime._serialize: _none_or(LocalDateTime.formatted),
}
