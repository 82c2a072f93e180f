"""The progress report: HTML, or PDF when the request accepts application/pdf."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Response, request
from flask.views import MethodView

from service.api.auth import roles
from service.api.charts import READ, chart
from service.api.context import now, reads, regimen
from service.api.documents import HTML, PDF, document_responses
from service.api.resource import ResourceBlueprint
from service.domain.client import Client
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.errors import NotFound
from service.domain.staff import Therapist
from service.domain.values import Role
from service.http.context import clinic_zone, today
from service.projections.progress import plan_progress
from service.reports.progress_report import ReportFacts, render_html, render_pdf

blp = ResourceBlueprint("reports", __name__, description="Documents for physicians and insurers")
READERS = (Role.THERAPIST, Role.AUDITOR)
RESPONSES = document_responses("The report (HTML, or PDF for Accept: application/pdf)", HTML, PDF)


def report_facts(plan_id: UUID) -> ReportFacts:
    """What the report shows, from the views and the plan's own record."""
    app = regimen()
    plan = app.plan(plan_id)
    zone = clinic_zone()
    progress = plan_progress(reads(), str(plan_id), today=today(zone))
    if progress is None:
        raise NotFound(f"no treatment plan with id {plan_id}")
    clinic = app.find(Clinic, CLINIC_ID)
    return ReportFacts(
        clinic_name=clinic.name if clinic is not None and clinic.name else "the clinic",
        client_name=app.load(Client, plan.client_id).name,
        therapist_name=app.load(Therapist, plan.therapist_id).name,
        plan=plan,
        progress=progress,
        made_at=now().astimezone(ZoneInfo(zone)),
    )


@blp.route("/plans/<uuid:plan_id>/progress-report")
class ProgressReportView(MethodView):
    """A plan's progress report, for a referring physician or an insurer."""

    @blp.doc(responses=RESPONSES)
    @roles(*READERS)
    @chart(READ)
    def get(self, plan_id: UUID) -> Any:
        """The progress report: assessment, measures against baseline, adherence, recommendation"""
        html = render_html(report_facts(plan_id))
        if request.accept_mimetypes.best_match([HTML, PDF]) == PDF:
            name = f"progress-report-{plan_id}.pdf"
            headers = {"Content-Disposition": f'inline; filename="{name}"'}
            return Response(render_pdf(html), mimetype=PDF, headers=headers)
        return Response(html, mimetype=HTML)
