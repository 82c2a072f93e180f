"""The probes: liveness (the process answers), health (the database answers), readiness
(the database answers, the cipher key reads it, every view keeps up), and the version."""

from __future__ import annotations

import dataclasses
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any, cast

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.adapters.schema_versions import schema_version
from service.api.context import regimen
from service.api.problems import LOG, ProblemSchema, problem
from service.projections.faults import Fault
from service.projections.queries import ReadModel
from service.projections.schema_steps import behind

blp = Blueprint("health", __name__, description="Service health")


class HealthSchema(ma.Schema):
    """The service and its database are up."""

    status = ma.fields.String(metadata={"example": "ok"})
    database = ma.fields.String(metadata={"example": "ok"})


class LiveSchema(ma.Schema):
    """The process answers."""

    status = ma.fields.String(metadata={"example": "alive"})


class VersionSchema(ma.Schema):
    """What is running, and how far the event store has come."""

    version = ma.fields.String(metadata={"description": "Regimen's package version"})
    position = ma.fields.Integer(
        metadata={"description": "The event store's position: the last event's place in the log"}
    )
    schema = ma.fields.Integer(
        metadata={"description": "The schema version the database records (`regimen db upgrade`)"}
    )


class FaultSchema(ma.Schema):
    """The event a view cannot apply, and why."""

    position = ma.fields.Integer()
    event_type = ma.fields.String()
    aggregate_id = ma.fields.String()
    error = ma.fields.String()
    at = ma.fields.String(metadata={"description": "When it was found (ISO 8601)"})


class ViewStateSchema(ma.Schema):
    """How far a view has applied the log, and its fault if it stopped."""

    name = ma.fields.String(metadata={"example": "sessions"})
    position = ma.fields.Integer()
    fault = ma.fields.Nested(FaultSchema, allow_none=True)


class ReadinessSchema(ma.Schema):
    """Every view is keeping up with the log."""

    status = ma.fields.String(metadata={"example": "ready"})
    head = ma.fields.Integer(metadata={"description": "The last position of the log"})
    views = ma.fields.List(ma.fields.Nested(ViewStateSchema))


def running_version() -> str:
    """The installed package's version, or the source tree's when run without installing."""
    try:
        return package_version("regimen")
    except PackageNotFoundError:  # run from a checkout on PYTHONPATH, not installed
        return "unreleased"


@blp.route("/health/live")
class LiveView(MethodView):
    """Liveness: the process answers requests (the database is not asked)."""

    @blp.response(200, LiveSchema)
    def get(self) -> Any:
        """Answer at once, without touching the database"""
        return {"status": "alive"}


def public_fault(fault: Fault) -> dict[str, Any]:
    """A fault as the (unauthenticated) probe tells it: the error's type, never its text,
    which may quote what the event held."""
    return {**dataclasses.asdict(fault), "error": fault.kind}


@blp.route("/version")
class VersionView(MethodView):
    """The running version and the event store's position."""

    @blp.response(200, VersionSchema)
    @blp.alt_response(503, schema=ProblemSchema, description="The database does not answer")
    def get(self) -> Any:
        """Report the package version and the position of the last stored event"""
        try:
            position = regimen().recorder.max_notification_id() or 0
            schema = schema_version(regimen())
        except Exception:
            LOG.exception("version check failed")
            return problem(503, "the database does not answer")
        return {"version": running_version(), "position": position, "schema": schema}


@blp.route("/health")
class HealthView(MethodView):
    """Health check for load balancers and operators."""

    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=ma.Schema, description="The database does not answer")
    def get(self) -> Any:
        """Check that the service and its database answer"""
        try:
            regimen().database_ok()
        except Exception:
            LOG.exception("health check failed")
            return problem(503, "the database does not answer")
        return {"status": "ok", "database": "ok"}


@blp.route("/health/ready")
class ReadinessView(MethodView):
    """Readiness: the views are caught up with the log, none stopped at an event."""

    @blp.response(200, ReadinessSchema)
    @blp.alt_response(
        503,
        schema=ProblemSchema,
        description="A view stopped at an event it cannot apply (type view-stuck, with"
        " `views` as in the 200 answer), the configured REGIMEN_CIPHER_KEY is not the key"
        " the store was written with (type wrong-cipher-key), the schema is older than this"
        " release needs (type schema-behind: run `regimen db upgrade`), or the database does"
        " not answer",
    )
    def get(self) -> Any:
        """Report each view's position, and any view stuck at an event with its error"""
        reads = cast(ReadModel, current_app.extensions["regimen.reads"])
        try:
            key_problem = regimen().key_problem()
            schema_problem = behind(regimen())
        except Exception:
            LOG.exception("readiness check failed")
            return problem(503, "the database does not answer")
        if schema_problem:
            return problem(503, schema_problem, "schema-behind")
        if key_problem:
            return problem(503, key_problem, "wrong-cipher-key")
        try:
            reads.fresh()
            state = reads.projector.readiness()
        except Exception:
            LOG.exception("readiness check failed")
            return problem(503, "the database does not answer")
        views = [
            {**view, "fault": public_fault(view["fault"]) if view["fault"] else None}
            for view in state["views"]
        ]
        stuck = [view["name"] for view in views if view["fault"]]
        if stuck:
            detail = f"stuck at an event they cannot apply: {', '.join(stuck)}"
            return problem(503, detail, "view-stuck", head=state["head"], views=views)
        return {"status": "ready", "head": state["head"], "views": views}
