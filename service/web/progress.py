"""A plan's progress graph for its therapist: pain before and after each performed session
and the planned interval against the actual one, then each outcome measure the plan
tracks against its baseline and the plan's adherence to its pace, as inline SVG with the
same numbers in a table beside each chart. The measures and adherence come from the
progress read model (service/projections/progress.py), the view the API and the progress
report read too. Each opening is recorded in the plan's access log, as the API's reads are.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from service.domain.access import ChartUse
from service.domain.client import Client
from service.domain.progress import PlanProgress, intervals_when_placed
from service.domain.progress import plan_progress as progress_of
from service.http.context import clinic_zone, now, page, reads, regimen, today
from service.projections.progress import PAIN
from service.projections.progress import plan_progress as progress_view
from service.reports.measure_charts import measure_chart
from service.reports.progress_chart import (
    Figure,
    figure,
    short_date,
)
from service.web.blueprint import web
from service.web.clinical_access import therapist_chart
from service.web.security import current_account

LOG = logging.getLogger("regimen.web")


def charts(progress: PlanProgress) -> list[Figure]:
    """One figure per scale in use (pain, the days between sessions, later outcome measures)."""
    sessions = [(s.number, s.day) for s in progress.sessions]
    return [
        figure(scale, progress.on(scale), sessions, progress.interval_changes)
        for scale in progress.scales
    ]


def progress_values(plan_id: UUID) -> dict[str, Any]:
    """The plan's progress, its charts and the names the page shows."""
    app = regimen()
    plan = app.plan(plan_id)
    progress = progress_of(plan, intervals_when_placed(app.events.get(plan_id)))
    view = progress_view(reads(), str(plan_id), today=today(clinic_zone()))
    measures = [] if view is None else [s for s in view.measures if s.key != PAIN and s.points]
    return {
        "plan": plan,
        "plan_id": str(plan_id),
        "client_id": str(plan.client_id),
        "client_name": app.load(Client, plan.client_id).name,
        "progress": progress,
        "charts": charts(progress),
        "short_date": short_date,
        "measure_charts": [measure_chart(s) for s in measures],
        "adherence": None if view is None else view.adherence,
    }


@web.get("/plans/<uuid:plan_id>/progress")
@therapist_chart(ChartUse.READ)
def plan_progress(plan_id: UUID) -> tuple[str, int]:
    """The plan's progress graph and its data table (recorded in the access log)."""
    values = progress_values(plan_id)
    try:
        regimen().record_views(
            [plan_id],
            actor=current_account().actor,
            record="progress",
            detail="",
            via="web",
            reason="",
            now=now(),
        )
    except Exception:  # a read not in the log is a read not shown
        LOG.exception("could not record a read of plan %s", plan_id)
        return page(
            "message.html",
            503,
            title="The progress cannot be shown just now",
            message="Every opening of a client's record is written in the access log, and "
            "that could not be done. Nothing was shown; please try again.",
        )
    return page("progress.html", 200, **values)
