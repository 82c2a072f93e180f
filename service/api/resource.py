"""The API's blueprint: one decorator per kind of operation says who may call it, what it
takes and what it answers, so each view holds only the use case it calls."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from uuid import UUID

from flask_smorest import Blueprint
from flask_smorest.utils import resolve_schema_instance
from marshmallow import Schema

from service.api.auth import STAFF, roles
from service.api.charts import chart
from service.api.context import etag, reads, regimen
from service.api.dumping import planned
from service.api.pages import NEXT_PAGE_HEADERS, paged
from service.api.view_schemas import SearchPageSchema
from service.domain.access import ChartUse
from service.domain.values import Role

F = TypeVar("F", bound=Callable[..., Any])


def versioned(aggregate: Any, status: int = 200) -> tuple[Any, int, dict[str, str]]:
    """An aggregate as the answer, with its version as the ETag."""
    return aggregate, status, etag(aggregate.version)


def created(cls: type[Any], aggregate_id: UUID, collection: str) -> tuple[Any, int, dict[str, str]]:
    """The aggregate just registered as the answer: 201, and where it now lives."""
    found = regimen().load(cls, aggregate_id)
    return found, 201, {"Location": f"/api/v1/{collection}/{aggregate_id}"}


class ResourceBlueprint(Blueprint):
    """A blueprint whose operations are declared by what they do: list, read or change."""

    def response(self, status_code: Any, schema: Any = None, **options: Any) -> Any:
        """flask-smorest's response, its schema dumped by plan (service/api/dumping.py)."""
        if isinstance(schema, type | Schema):
            schema = planned(resolve_schema_instance(schema))
        return super().response(status_code, schema, **options)

    def listing(
        self,
        allowed: tuple[Role, ...],
        query: Schema,
        rows: Schema,
        *,
        use: ChartUse | None = None,
    ) -> Callable[[F], F]:
        """A GET of one page of rows; the view returns the Page, the answer leads to the next."""
        answering = self.response(200, rows, headers=NEXT_PAGE_HEADERS)

        def decorate(view: F) -> F:
            @wraps(view)
            def page(*args: Any, **kwargs: Any) -> Any:
                return paged(view(*args, **kwargs))

            return self._operation(allowed, answering, query, "query", use)(cast(F, page))

        return decorate

    def directory(self, kind: str, rows: Schema, summary: str) -> Callable[..., Any]:
        """The GET of a directory (clients, therapists, rooms): by name, or searched with ?q=."""

        def get(view: Any, search: dict[str, Any]) -> Any:
            return reads().directory(kind, search["q"], search["limit"], search["cursor"])

        get.__doc__ = summary
        return self.listing(STAFF, SearchPageSchema(), rows)(get)

    def registered(self, cls: type[Any], answer: Any, summary: str) -> Callable[..., Any]:
        """The GET of one registered client, therapist, room or payer by the id in its path."""

        def get(view: Any, **path: UUID) -> Any:
            (aggregate_id,) = path.values()
            return versioned(regimen().load(cls, aggregate_id))

        get.__doc__ = summary
        return self.reading(STAFF, answer)(get)

    def reading(
        self,
        allowed: tuple[Role, ...],
        answer: Any,
        *,
        query: Schema | None = None,
        use: ChartUse | None = None,
        headers: dict[str, Any] | None = None,
    ) -> Callable[[F], F]:
        """A GET answering one thing, perhaps narrowed by a query, perhaps from a chart."""
        answering = self.response(200, answer, headers=headers)
        return self._operation(allowed, answering, query, "query", use)

    def change(
        self,
        allowed: tuple[Role, ...],
        body: Schema,
        answer: Any,
        *,
        status: int = 200,
        use: ChartUse | None = None,
    ) -> Callable[[F], F]:
        """A POST, PUT or PATCH taking a body, perhaps to a chart."""
        return self._operation(allowed, self.response(status, answer), body, "json", use)

    def _operation(
        self,
        allowed: tuple[Role, ...],
        answering: Callable[[F], F],
        arguments: Schema | None,
        location: str,
        use: ChartUse | None,
    ) -> Callable[[F], F]:
        # Applied as the views were written: roles, chart, arguments, response (outside in).
        def decorate(view: F) -> F:
            operation = answering(view)
            if arguments is not None:
                operation = self.arguments(arguments, location=location)(operation)
            if use is not None:
                operation = chart(use)(operation)
            return cast(F, roles(*allowed)(operation))

        return decorate
