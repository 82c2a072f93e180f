"""The one place that decides which response fields are clinical, and drops them for the desk.

DESIGN §7: the front desk never sees assessments, notes, evaluations, outcomes,
referral reasons or home care. A response field is clinical when its schema marks it
with `CLINICAL` (an `x-clinical` extension the OpenAPI document shows); every
response schema that has such fields derives from `Redacted`, whose one post-dump
step removes them unless the request's role may read clinical details.
"""

from __future__ import annotations

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


def clinical_fields(schema: ma.Schema) -> list[str]:
    """The names under which a schema dumps its clinical fields."""
    return [
        field.data_key or name
        for name, field in schema.dump_fields.items()
        if field.metadata.get("x-clinical")
    ]


class Redacted(ma.Schema):
    """A response schema whose clinical fields only clinical readers receive."""

    @ma.post_dump
    def drop_clinical_fields(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Remove the fields marked clinical when this request's role may not read them."""
        if not sees_clinical_details():
            for name in clinical_fields(self):
                data.pop(name, None)
        return data
