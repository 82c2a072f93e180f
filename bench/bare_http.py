"""The command path's fair baseline: the least web app that books a series, under the same gunicorn.

One Flask route, POST /api/v1/plans/<id>/series, served by Regimen's own gunicorn set-up
(service/http/server.py: one worker, no access log): it parses the same JSON body and
saves, with the library's bare `Application.save`, the series' events that the worker
built when it started (the plan's SeriesScheduled and ten SessionBooked, and the calendar
days' reservations), then answers 201 with a small JSON body. So the ratio of Regimen's
booking to this one measures Regimen's own work: auth, validation, loading, the booking
policy, sealing and the response, not HTTP or the web framework.

    python -m bench.bare_http PLANS_JSON PORT   (PLANS_JSON: [[plan_id, first_start], ...])
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder
from flask import Flask, jsonify, request

from service.adapters.transcodings import register_value_transcodings
from service.application.calendar_work import CalendarWork
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.plan import TreatmentPlan
from service.domain.values import SeriesRule, SeriesSpec
from service.http.server import serve
from service.scheduler.recurrence import session_time
from tests.builders import DESK

SERIES = SeriesSpec(sessions=10, interval_days=7, session_minutes=30)
ZONE = "Europe/London"


class BareLibrary(Application[UUID]):
    """The library's application and recorder, knowing Regimen's value types."""

    name = "Regimen"  # the same tables

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_value_transcodings(transcoder)


def series_events(regimen: Any, plan_id: UUID, first: datetime) -> tuple[Any, list[Any]]:
    """A plan with its series booked in memory, and the calendar days it touched: the
    events Regimen's booking saves, made by Regimen's domain, not yet saved."""
    plan = regimen.load(TreatmentPlan, plan_id)
    work = CalendarWork(regimen, DESK)
    plan.schedule_series(
        SeriesRule(first, ZONE, 7, "fail", 3, plan.therapist_id, plan.room_id), DESK
    )
    for week in range(SERIES.sessions):
        session = plan.book_session(
            time=session_time(first + timedelta(weeks=week), ZONE, SERIES.session_minutes),
            therapist_id=plan.therapist_id,
            room_id=plan.room_id,
            actor=DESK,
        )
        work.reserve(plan.id, session)
    return plan, work.changed()


def bare_app(settings: Settings, plans: list[tuple[str, str]]) -> Flask:
    """The baseline's Flask app, its events built before it serves."""
    regimen = build_regimen(settings)
    try:
        built = {
            UUID(plan_id): series_events(regimen, UUID(plan_id), datetime.fromisoformat(first))
            for plan_id, first in plans
        }
    finally:
        regimen.close()
    bare = BareLibrary(env=settings.eventsourcing_env())
    app = Flask("bare")

    @app.get("/health")
    def health() -> Any:
        return jsonify({"status": "ok"})

    @app.post("/api/v1/plans/<plan_id>/series")
    def book_series(plan_id: str) -> Any:
        body = request.get_json()
        plan, days = built.pop(UUID(plan_id))
        recordings = bare.save(plan, *days)
        answer = {"plan_id": plan_id, "first_start": body["first_start"]}
        return jsonify({**answer, "position": recordings[-1].notification.id}), 201

    return app


def main() -> None:
    plans_file, port = sys.argv[1], int(sys.argv[2])
    settings = Settings.from_env()
    with open(plans_file) as plans:
        listed = json.load(plans)
    serve("127.0.0.1", port, 1, settings, load=lambda: bare_app(settings, listed))


if __name__ == "__main__":
    main()
