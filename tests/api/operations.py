"""The operations the app serves, read off its URL map, with the roles each lets in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask

from service.api.auth import allowed_roles
from service.api.charts import chart_use
from service.domain.access import ChartUse
from service.domain.values import Role

NOT_OPERATIONS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Operation:
    """One method of one route."""

    method: str
    rule: str  # Flask's form: /plans/<uuid:plan_id>
    endpoint: str
    roles: tuple[Role, ...] | None  # None: public
    chart: ChartUse | None = None  # None: not scoped to the therapist's own clients

    @property
    def path(self) -> str:
        """The path as OpenAPI writes it: /plans/{plan_id}."""
        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", self.rule)


def served_operations(app: Flask) -> list[Operation]:
    """Every method of every route of the app."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - NOT_OPERATIONS):
            handler = getattr(getattr(view, "view_class", None), method.lower(), view)
            found.append(
                Operation(
                    method, rule.rule, rule.endpoint, allowed_roles(handler), chart_use(handler)
                )
            )
    return found
