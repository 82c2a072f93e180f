"""How fields read in the OpenAPI document where apispec alone would promise too much.

Three apispec attribute functions, installed once by the app factory:

- every string a Strict schema reads carries the pattern of the characters it
  refuses (service.domain.text), so that a client (or a fuzzer) sending what the
  document allows is not refused;
- a nested object that may be null is that object or null, not "any object";
- a local time a request sends shows an example ahead of the day the document was built.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import marshmallow as ma
from flask_smorest import Api

from service.api.fields import EmailAddress, LocalDateTime, Name, Text, upcoming_example
from service.api.schemas import Strict
from service.domain.text import FREE_TEXT_PATTERN, NOT_BLANK_LINE_PATTERN, ONE_LINE_PATTERN


def install(api: Api, today: date) -> None:
    """Add the attribute functions to the API's marshmallow converter; `today` dates the
    examples of the local times a request sends."""
    api.ma_plugin.converter.add_attribute_function(text_pattern)
    api.ma_plugin.converter.add_attribute_function(nullable_nested)
    api.ma_plugin.converter.add_attribute_function(upcoming_local_times(today))


def upcoming_local_times(today: date) -> Callable[..., dict[str, Any]]:
    """An attribute function: a local time a Strict schema reads shows an upcoming example."""

    def upcoming(converter: Any, field: ma.fields.Field, **kwargs: Any) -> dict[str, Any]:
        if not isinstance(field, LocalDateTime) or not isinstance(field.parent, Strict):
            return {}
        return {"example": upcoming_example(today, field.example_at)}

    return upcoming


def text_pattern(converter: Any, field: ma.fields.Field, **kwargs: Any) -> dict[str, Any]:
    """The pattern of the text a Strict schema's string field accepts."""
    owner = field.parent
    while isinstance(owner, ma.fields.Field):  # a list's or a dict's inner field
        owner = owner.parent
    if not isinstance(owner, Strict) or not isinstance(field, ma.fields.String):
        return {}
    if isinstance(field, ma.fields.UUID | ma.fields.Email | EmailAddress):  # they say their own
        return {}
    if "pattern" in field.metadata:  # a narrower pattern of its own (a currency code)
        return {}
    if isinstance(field, Name):
        return {"pattern": NOT_BLANK_LINE_PATTERN}
    return {"pattern": FREE_TEXT_PATTERN if isinstance(field, Text) else ONE_LINE_PATTERN}


def nullable_nested(converter: Any, field: ma.fields.Field, **kwargs: Any) -> dict[str, Any]:
    """A nullable nested object as the object or null (apispec writes the null branch as
    any object at all, so unknown fields would seem allowed)."""
    ret: dict[str, Any] = kwargs["ret"]
    if not isinstance(field, ma.fields.Nested) or not field.allow_none or "anyOf" not in ret:
        return {}
    return {"anyOf": [*ret["anyOf"][:1], {"type": "object", "nullable": True, "enum": [None]}]}
