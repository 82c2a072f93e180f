"""Outcome measures in requests (the client's answers) and in the progress response."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.fields import Name
from service.api.schemas import Strict
from service.domain.measures import Instrument, MeasureAnswers

INSTRUMENTS = "nprs (pain 0-10), psfs (3-5 activities 0-10), ndi (neck, 10 sections 0-5), odi"
# A low back, as the documented assessment: an Oswestry of 17 of 50 sections' points (34%).
ODI_EXAMPLE = {"instrument": "odi", "items": [2, 3, 2, 1, 2, 2, 1, 2, 0, 2], "activities": []}


class MeasureAnswersSchema(Strict):
    """What the client answered on one instrument, section by section (null: skipped)."""

    instrument = fields.Enum(
        Instrument, by_value=True, required=True, metadata={"description": INSTRUMENTS}
    )
    items = fields.List(
        fields.Integer(allow_none=True, validate=validate.Range(0, 10)),
        required=True,
        validate=validate.Length(min=1, max=10),
        metadata={"description": "The answers in the instrument's order; null for a skipped one"},
    )
    activities = fields.List(
        Name(),
        load_default=list,
        validate=validate.Length(max=5),
        metadata={"description": "PSFS only: the activities rated, in the order of items"},
    )

    @ma.post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> MeasureAnswers:
        return MeasureAnswers(data["instrument"], tuple(data["items"]), tuple(data["activities"]))


def answers_field(description: str) -> fields.List:
    """A list of answers on the instruments, as an assessment or an evaluation carries."""
    return fields.List(
        fields.Nested(MeasureAnswersSchema),
        load_default=list,
        metadata={"description": description, "example": [ODI_EXAMPLE]},
    )


def tracked_field() -> fields.List:
    """The instruments a plan tracks."""
    return fields.List(
        fields.Enum(Instrument, by_value=True),
        load_default=list,
        metadata={
            "description": "The outcome measures the plan tracks; none given: the NPRS, with"
            " the NDI for a neck and the ODI for a low back among the focus areas",
            "example": ["nprs", "odi"],
        },
    )


class PointSchema(ma.Schema):
    """One score: at the baseline (number 0) or at session `number`'s evaluation."""

    number = fields.Integer()
    day = fields.String(metadata={"description": "The local date, YYYY-MM-DD"})
    score = fields.Float()
    band = fields.String(metadata={"description": "The ODI's published band"})


class MeasureSeriesSchema(ma.Schema):
    """One measure over the plan, and its change from the baseline."""

    key = fields.String(metadata={"description": "pain, nprs, psfs, ndi, odi or rom"})
    label = fields.String()
    scale_max = fields.Float()
    higher_is_better = fields.Boolean()
    points = fields.List(fields.Nested(PointSchema))
    change = fields.Float(allow_none=True, metadata={"description": "Latest minus baseline"})
    meaningful = fields.Boolean(
        allow_none=True,
        metadata={"description": "Whether the change reaches the published threshold"},
    )
    threshold = fields.Float(allow_none=True)
    improved = fields.Boolean(allow_none=True)


class TallySchema(ma.Schema):
    """How the plan's sessions went, counted."""

    kept = fields.Integer()
    missed = fields.Integer()
    late_cancelled = fields.Integer()
    cancelled = fields.Integer()
    rescheduled = fields.Integer()
    minutes_planned = fields.Integer()
    minutes_delivered = fields.Integer()


class AdherenceSchema(ma.Schema):
    """The planned interval against the gaps between performed sessions."""

    planned_interval_days = fields.Integer()
    gaps_days = fields.List(fields.Integer())
    mean_gap_days = fields.Float(allow_none=True)
    days_since_last = fields.Integer(allow_none=True)
    drifting = fields.Boolean(
        metadata={"description": "A gap past the interval by more than half an interval"}
    )
    tally = fields.Nested(TallySchema)
