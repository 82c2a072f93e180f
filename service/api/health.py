"""Liveness that means something: the database answers."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.context import regimen
from service.api.problems import LOG, problem

blp = Blueprint("health", __name__, description="Service health")


class HealthSchema(ma.Schema):
    """The service and its database are up."""

    status = ma.fields.String(metadata={"example": "ok"})
    database = ma.fields.String(metadata={"example": "ok"})


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
