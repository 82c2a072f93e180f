"""Which aggregate a request is about, read from its path: the target of If-Match and ETag."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from service.domain.clinic import CLINIC_ID

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# URL parameters that name the aggregate a request is about, the most specific first.
RESOURCE_PARAMETERS = ("plan_id", "client_id", "therapist_id", "room_id")
CLINIC = "clinic"
_PARAMETER = re.compile(r"[<{](?:[^:<>{}]+:)?([^<>{}]+)[>}]")


@dataclass(frozen=True)
class Resources:
    """Paths of the API, in Flask's form (/plans/<uuid:plan_id>) or OpenAPI's ({plan_id})."""

    prefix: str

    def parameter(self, path: str) -> str | None:
        """The path parameter naming the aggregate, CLINIC for the clinic's paths, or None."""
        if not path.startswith(f"{self.prefix}/"):
            return None  # not the API (the health check, the documents, the web pages)
        names = set(_PARAMETER.findall(path))
        for name in RESOURCE_PARAMETERS:
            if name in names:
                return name
        rest = path.removeprefix(self.prefix)
        if rest == f"/{CLINIC}" or rest.startswith(f"/{CLINIC}/"):
            return CLINIC
        return None

    def is_versioned_write(self, method: str, path: str) -> bool:
        """Whether a write changes one aggregate, so that If-Match applies to it."""
        return method.upper() in WRITES and self.parameter(path) is not None

    def is_single_resource(self, path: str) -> bool:
        """Whether a GET reads one aggregate (or one session of a plan): it carries an ETag."""
        if self.parameter(path) is None:
            return False
        return path.endswith((">", "}")) or path.removeprefix(self.prefix) == f"/{CLINIC}"

    def target(self, path: str, view_args: dict[str, Any]) -> UUID | None:
        """The id of the aggregate a request to this path is about, if any."""
        name = self.parameter(path)
        if name == CLINIC:
            return CLINIC_ID
        value = view_args.get(name) if name else None
        return value if isinstance(value, UUID) else None
