"""The progress report a referring physician or an insurer reads: one HTML document, and
the same document as PDF (WeasyPrint renders that HTML; nothing is laid out twice).

It says who (clinic, client, therapist), on what authority (prescription, authorization
and how much of it is used), from where (the assessment), how far (each outcome measure
against its baseline, with the published threshold of a meaningful change), how
regularly (adherence), and what next (the latest recommendation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from service.domain.authorization_standing import authorization_use
from service.domain.plan import TreatmentPlan
from service.projections.progress import PlanProgress
from service.reports.measure_charts import measure_chart

TEMPLATES = Environment(
    loader=PackageLoader("service.reports", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
RECOMMENDATIONS = {
    "continue": "Continue the plan at its pace",
    "change_interval": "Continue at a changed interval",
    "refer": "Refer to another professional",
    "discharge": "Discharge",
}


@dataclass(frozen=True)
class ReportFacts:
    """What the report is made of, gathered by its caller."""

    clinic_name: str
    client_name: str
    therapist_name: str
    plan: TreatmentPlan
    progress: PlanProgress
    made_at: datetime  # local to the clinic


def render_html(facts: ReportFacts) -> str:
    """The report as a standalone HTML document (its styles inline, for print and PDF)."""
    return TEMPLATES.get_template("progress_report.html").render(
        facts=facts,
        plan=facts.plan,
        progress=facts.progress,
        adherence=facts.progress.adherence,
        summary=facts.progress.plan,
        recommendation=RECOMMENDATIONS.get(facts.progress.latest_recommendation or "", ""),
        charts={m.key + m.label: measure_chart(m) for m in facts.progress.measures if m.points},
        signed=_signed,
        authorization_use=authorization_use(facts.plan),
    )


def render_pdf(html: str) -> bytes:
    """The same document as PDF."""
    from weasyprint import HTML  # imported on first use: it loads Pango, ~0.5 s

    pdf: Any = HTML(string=html).write_pdf()
    return bytes(pdf)


def _signed(value: float | None) -> str:
    """+2.0 / −8.0 (a true minus), or an en dash for no value."""
    if value is None:
        return "–"
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}{abs(value):.1f}"
