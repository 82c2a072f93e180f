"""Query parameters and bodies of the audit endpoints: history, as-of, changes, feed, verify."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.plan_out_schemas import ActorSchema, HistoryEventSchema
from service.api.schemas import Strict
from service.api.view_schemas import PageQuerySchema
from service.audit.diff import session_number
from service.audit.replay import MAX_PAGE, MAX_POSITION, MAX_VERSION

VERSION = validate.Range(min=1, max=MAX_VERSION)
INSTANTS = validate.Range(
    min=datetime(1970, 1, 2, tzinfo=UTC),
    max=datetime(9998, 12, 31, tzinfo=UTC),
    error="give an instant between 1970 and 9998",
)
INSTANTS_SAID = "from 1970-01-02 to 9998-12-31 (UTC), with an offset"
INSTANT_YEARS = r"^(19[7-9][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-"


class PlanAsOfQuerySchema(Strict):
    """Read the plan as it stood at a version, or at an instant; not both."""

    version = fields.Integer(
        load_default=None, validate=VERSION, metadata={"description": "A version (1 = proposed)"}
    )
    as_of = fields.AwareDateTime(
        load_default=None,
        metadata={"description": "An instant with offset: the plan after every event up to it"},
    )

    @ma.validates_schema
    def one_of(self, data: dict[str, Any], **kwargs: Any) -> None:
        """A version or an instant, not both."""
        if data.get("version") is not None and data.get("as_of") is not None:
            raise ma.ValidationError("give version or as_of, not both", field_name="as_of")


class ChangesQuerySchema(Strict):
    """Two versions of a plan to compare."""

    from_version = fields.Integer(required=True, data_key="from", validate=VERSION)
    to_version = fields.Integer(
        load_default=None,
        data_key="to",
        validate=VERSION,
        metadata={"description": "Defaults to the latest version"},
    )


class FeedQuerySchema(Strict):
    """Where to resume reading the global log, and how much to read."""

    after = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_POSITION),
        metadata={"description": "The last position already read (0 to start)"},
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE))


class AccessLogQuerySchema(Strict):
    """A span of UTC days (at most 366), by default the last 31 days."""

    from_day = fields.Date(load_default=None, data_key="from")
    to_day = fields.Date(load_default=None, data_key="to")


class ChangeSchema(ma.Schema):
    """One field that differs between two versions."""

    path = fields.String(
        metadata={
            "description": "JSON Pointer into the plan document, whose lists count from 0: "
            "/sessions/0/status is session 1's status (see `session`)"
        }
    )
    session = fields.Function(
        lambda change: session_number(change.path),
        allow_none=True,
        metadata={
            "description": "The session the field belongs to, numbered as the clinic counts "
            "sessions (from 1, as in /plans/{id}/sessions/{number}); null for the plan's own",
            "type": "integer",
        },
    )
    change = fields.String(metadata={"description": "added, removed or changed"})
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class ChangesSchema(ma.Schema):
    """What changed in a plan from one version to another, and the events that changed it."""

    plan_id = fields.UUID()
    from_version = fields.Integer()
    to_version = fields.Integer()
    events = fields.List(fields.Nested(HistoryEventSchema))
    changes = fields.List(fields.Nested(ChangeSchema))


class FeedEventSchema(HistoryEventSchema):
    """An event of the global log."""

    position = fields.Integer(metadata={"description": "Its position in the global log"})
    aggregate_id = fields.UUID()
    aggregate_type = fields.String(metadata={"example": "TreatmentPlan"})
    actor = fields.Nested(
        ActorSchema, allow_none=True, metadata={"description": "Who caused it (null if no one)"}
    )


class FeedPageSchema(ma.Schema):
    """A page of the global log and where to resume."""

    events = fields.List(fields.Nested(FeedEventSchema))
    next_after = fields.Integer(metadata={"description": "Pass as `after` to read on"})
    more = fields.Boolean(metadata={"description": "Whether events follow this page"})


class ProblemFoundSchema(ma.Schema):
    """One thing wrong with the stored events."""

    position = fields.Integer(metadata={"description": "Position in the global log"})
    kind = fields.String(
        metadata={
            "description": "changed, missing, reordered, unsealed, seal-altered, "
            "snapshot-altered, malformed (a stored cell of the wrong type), wrong-key or "
            "anchor-mismatch"
        }
    )
    detail = fields.String()
    aggregate_id = fields.UUID(allow_none=True)
    version = fields.Integer(allow_none=True)


class VerifySchema(ma.Schema):
    """OK, or what is wrong, the first problem first."""

    ok = fields.Boolean()
    events_checked = fields.Integer()
    seals_checked = fields.Integer()
    head_position = fields.Integer(allow_none=True)
    head_hash = fields.String(
        allow_none=True, metadata={"description": "Keep it elsewhere to anchor this state"}
    )
    problem_count = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    first_problem = fields.Nested(ProblemFoundSchema, allow_none=True)
    problems = fields.List(fields.Nested(ProblemFoundSchema))


class ViewSchema(ma.Schema):
    """One recorded read of a plan's clinical record."""

    at = fields.AwareDateTime()
    actor = fields.Nested(ActorSchema)
    record = fields.String(metadata={"description": "plan, session, history, changes, feed"})
    detail = fields.String()
    via = fields.String(metadata={"description": "api or cli"})
    break_glass = fields.Boolean(
        metadata={"description": "A therapist read a client they do not treat, for a reason"}
    )
    reason = fields.String(metadata={"description": "The reason given (X-Access-Reason)"})


class AuditIndexQuerySchema(PageQuerySchema):
    """Which events to list: by aggregate, event type, actor and time (all optional)."""

    aggregate_id = fields.UUID(load_default=None)
    type = fields.String(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "An event type, e.g. SessionCancelled"},
    )
    actor_id = fields.String(load_default=None, validate=validate.Length(max=100))
    since = fields.AwareDateTime(
        load_default=None,
        validate=INSTANTS,
        metadata={"description": f"Inclusive; {INSTANTS_SAID}", "pattern": INSTANT_YEARS},
    )
    until = fields.AwareDateTime(
        load_default=None,
        validate=INSTANTS,
        metadata={"description": f"Exclusive; {INSTANTS_SAID}", "pattern": INSTANT_YEARS},
    )


class AuditIndexRowSchema(ma.Schema):
    """Who did what to which aggregate, when (the event itself: GET /events)."""

    position = fields.Integer()
    aggregate_id = fields.String(attribute="originator_id")
    aggregate_type = fields.String(attribute="aggregate")
    version = fields.Integer()
    type = fields.String(attribute="event_type")
    actor_id = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    actor_name = fields.String(
        allow_none=True,
        metadata={
            "description": "The actor's name ('Scheduler' for the system, 'Command line "
            "(server operator)' for the regimen command; null if unknown)"
        },
    )
    timestamp = fields.String(attribute="at", metadata={"description": "UTC instant"})
