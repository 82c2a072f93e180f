"""The one place that decides which response fields are clinical, and leaves them out for the desk.

DESIGN §7: the front desk never sees assessments, notes, evaluations, outcomes,
referral reasons or home care. A response field is clinical when its schema marks it
with `CLINICAL` (an `x-clinical` extension the OpenAPI document shows); every
response schema that has such fields derives from `Redacted`, which dumps for a role
that may not read clinical details through a copy of itself that excludes them.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import marshmallow as ma

from service.api.auth import sees_clinical_details

CLINICAL: dict[str, Any] = {
    "x-clinical": True,
    "description": "Clinical: absent from the front desk's answers",
}


def clinical(description: str = "") -> dict[str, Any]:
    """Field metadata marking a field clinical, with an optional description of its own."""
    if not description:
        return dict(CLINICAL)
    return {**CLINICAL, "description": f"{description}. {CLINICAL['description']}"}


@cache
def clinical_fields(schema_class: type[ma.Schema]) -> frozenset[str]:
    """The names of a schema class's declared fields that are marked clinical (worked out
    once per class: the declarations never change)."""
    return frozenset(
        name
        for name, field in schema_class._declared_fields.items()
        if field.metadata.get("x-clinical")
    )


class Redacted(ma.Schema):
    """A response schema whose clinical fields only clinical readers receive.

    For any other reader it dumps through a copy of itself that excludes them, made once
    per schema instance, so they are never serialised at all (rather than serialised and
    then dropped). A nested schema chooses for itself when its parent dumps it, so the
    fields are left out at every depth.
    """

    _desk_copy: tuple[Redacted, Redacted] | None = None  # (made from, the copy)
    _is_desk_copy = False

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """The dump of `obj`, without the clinical fields unless this request's role may
        read them."""
        if not self._is_desk_copy and not sees_clinical_details():
            return self._without_clinical_fields().dump(obj, many=many)
        return super().dump(obj, many=many)

    def _without_clinical_fields(self) -> Redacted:
        """This schema, with its options and its own fields, excluding the clinical ones.

        Kept with the schema it was made from: a copy of this schema (marshmallow copies a
        schema instance given to a Nested field, then narrows it) makes its own."""
        made = self._desk_copy
        if made is None or made[0] is not self:
            variant = copy.copy(self)
            vars(variant).pop("dump", None)  # a dump planned for this schema (api/dumping.py)
            variant.declared_fields = copy.deepcopy(self.declared_fields)
            variant.exclude = {*self.exclude, *clinical_fields(type(self))}
            variant._is_desk_copy = True
            variant._init_fields()
            made = self._desk_copy = (self, variant)
        return made[1]
