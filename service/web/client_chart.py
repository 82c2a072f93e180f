"""The client's chart, for their therapist: plans, visits and sessions in one timeline, the
latest assessment, referrals, prescriptions and authorizations, and every note.

Each read is recorded in the plans' access logs, as the API records its reads; a read that
cannot be recorded is not shown.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import request

from service.domain.access import ChartAccess, ChartUse
from service.domain.authorization_standing import authorization_use
from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.values import Amendment, Assessment, Session
from service.domain.visit import Visit
from service.http.chart_scope import access_to
from service.http.context import clinic_zone, now, page, reads, regimen, zone_label
from service.web.blueprint import web
from service.web.calendar_model import KIND_LABELS
from service.web.clinical_access import NOT_YOURS, my_therapist_id, therapist_page
from service.web.clinical_links import assess_path, progress_path, record_path
from service.web.my_day import ASSESSING_KINDS
from service.web.security import current_account

LOG = logging.getLogger("regimen.web")
MOST_ROWS = 500
RECORDABLE = ("booked", "performed")  # a cancelled or missed session has nothing to record


@dataclass(frozen=True, eq=False)
class Entry:
    """One thing in the client's timeline: a plan proposed, a session, or a visit."""

    at: datetime  # the clinic's wall time
    title: str
    therapist: str
    status: str
    plan: TreatmentPlan | None = None  # the plan proposed, or the plan of a session
    plan_label: str = ""
    session: Session | None = None  # a plan's session, or a visit's one session
    visit: Visit | None = None
    links: tuple[tuple[str, str], ...] = ()
    overdue: bool = False  # booked, and its time has passed with nothing recorded

    @property
    def state(self) -> str:
        """The status as the chart words it."""
        if self.visit is not None and self.visit.kind.value in ASSESSING_KINDS and self.overdue:
            return "Assessed" if self.visit.assessment is not None else "Not assessed"
        return "Not recorded" if self.overdue else self.status.capitalize()

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        """The session's amendments, oldest first."""
        return self.session.amendments if self.session is not None else ()


@dataclass(frozen=True)
class Records:
    """The client's plans and visits, and the views' rows naming their therapists."""

    plans: list[TreatmentPlan]
    visits: list[Visit]
    therapists: dict[tuple[str, int], str]  # (plan or visit id, session number) -> name
    plan_therapists: dict[str, str]  # plan id -> name

    @property
    def all(self) -> list[TreatmentPlan | Visit]:
        """Plans and visits together."""
        return [*self.plans, *self.visits]


def plan_labels(plans: list[TreatmentPlan], zone: str) -> dict[UUID, str]:
    """'Plan for lower back, right hip': how the chart names each plan; two plans for the
    same areas are told apart by the day each was proposed."""
    named = {p.id: f"Plan for {', '.join(p.focus_areas)}" for p in plans}
    counts = Counter(named.values())
    for plan in plans:
        if counts[named[plan.id]] > 1:
            proposed = plan.created_on.astimezone(ZoneInfo(zone))
            named[plan.id] += f" (proposed {proposed:%d %b %Y})"
    return named


def plan_entries(
    plan: TreatmentPlan, label: str, names: dict[tuple[str, int], str], therapist: str, zone: str
) -> list[Entry]:
    """The plan proposed, and each of its sessions."""
    key = str(plan.id)
    entries = [
        Entry(
            at=plan.created_on.astimezone(ZoneInfo(zone)),
            title="Plan proposed",
            therapist=therapist,
            status=plan.status.value,
            plan=plan,
            plan_label=label,
            links=(("Progress", progress_path(key)),),
        )
    ]
    for session in plan.sessions:
        entries.append(
            Entry(
                at=session.time.start.astimezone(ZoneInfo(zone)),
                title=f"Session {session.number} of {plan.series.sessions}",
                therapist=names.get((key, session.number), ""),
                status=session.status.value,
                plan=plan,
                plan_label=label,
                session=session,
                links=(("Record or evaluate", record_path(key, session.number)),)
                if session.status.value in RECORDABLE
                else (),
            )
        )
    return entries


def visit_entry(visit: Visit, therapist: str, zone: str) -> Entry:
    """A visit outside a plan, with its assessment if one was recorded."""
    kind = KIND_LABELS.get(visit.kind.value, visit.kind.value)
    key = str(visit.id)
    links: tuple[tuple[str, str], ...] = ()
    if visit.status.value in RECORDABLE:
        if visit.kind.value not in ASSESSING_KINDS:
            links = (("Record", record_path(key, 0)),)
        elif visit.assessment is None and visit.plan_id is None:  # not yet assessed
            links = (("Assess", assess_path(key)),)
    return Entry(
        at=visit.session.time.start.astimezone(ZoneInfo(zone)),
        title=f"{kind} visit",
        therapist=therapist,
        status=visit.status.value,
        session=visit.session,
        visit=visit,
        links=links,
    )


def latest_assessment(
    plans: list[TreatmentPlan], visits: list[Visit]
) -> tuple[datetime | None, Assessment | None]:
    """The most recent assessment, and when it was made (a visit's time, a plan's proposal)."""
    found: list[tuple[datetime, Assessment]] = [(p.created_on, p.assessment) for p in plans]
    found += [(v.session.time.start, v.assessment) for v in visits if v.assessment is not None]
    if not found:
        return None, None
    return max(found, key=lambda pair: pair[0])


def chart_values(records: Records) -> dict[str, Any]:
    """Everything the chart shows."""
    zone = clinic_zone()
    labels = plan_labels(records.plans, zone)
    entries: list[Entry] = []
    for plan in records.plans:
        therapist = records.plan_therapists.get(str(plan.id), "")
        entries += plan_entries(plan, labels[plan.id], records.therapists, therapist, zone)
    for visit in records.visits:
        entries.append(visit_entry(visit, records.therapists.get((str(visit.id), 0), ""), zone))
    moment = now().astimezone(ZoneInfo(zone))
    timeline, upcoming = [], []
    for entry in entries:
        if entry.session is not None and entry.status == "booked":
            if entry.at > moment:
                upcoming.append(entry)
                continue
            entry = replace(entry, overdue=True)
        timeline.append(entry)
    assessed_at, assessment = latest_assessment(records.plans, records.visits)
    return {
        # Newest first: before a session the therapist reads the last session's notes first.
        "timeline": sorted(timeline, key=lambda e: e.at, reverse=True),
        "upcoming": sorted(upcoming, key=lambda e: e.at),
        "assessment": assessment,
        "assessed_at": assessed_at.astimezone(ZoneInfo(zone)) if assessed_at else None,
        "plans": sorted(records.plans, key=lambda p: p.created_on, reverse=True),
        "plan_labels": labels,
        "proposed_on": {p.id: p.created_on.astimezone(ZoneInfo(zone)) for p in records.plans},
        "authorization_use": {p.id: authorization_use(p) for p in records.plans},
        "actor_names": actor_names(entries),
        "zone_label": zone_label(zone),
    }


def actor_names(entries: list[Entry]) -> dict[str, str]:
    """The names of staff accounts by user id, read only if a session shown was amended."""
    if not any(e.amendments for e in entries):
        return {}
    return {str(account.user_id): account.name for account in regimen().list_users()}


def client_records(client_id: UUID) -> Records:
    """The client's plans and visits (read together) and their therapists' names."""
    model = reads()
    plan_rows = model.plans(client_id=str(client_id), limit=MOST_ROWS).items
    rows = model.sessions_between("0000", "9999", client_id=str(client_id), limit=MOST_ROWS)
    visit_ids = {r["plan_id"] for r in rows.items if r["kind"] != "session"}
    found = regimen().current(UUID(i) for i in [*(r["plan_id"] for r in plan_rows), *visit_ids])
    return Records(
        plans=[a for a in found.values() if isinstance(a, TreatmentPlan)],
        visits=[a for a in found.values() if isinstance(a, Visit)],
        therapists={
            (r["plan_id"], int(r["number"])): r["therapist_name"] or "" for r in rows.items
        },
        plan_therapists={r["plan_id"]: r["therapist_name"] or "" for r in plan_rows},
    )


def refused(records: list[TreatmentPlan | Visit]) -> tuple[str, int] | None:
    """None if the therapist signed in may read this client's chart; else the 403 page."""
    if records:
        access = access_to(my_therapist_id(), records[0], ChartUse.READ)
        if access is ChartAccess.ALLOWED:
            return None
    return page("message.html", 403, title="Not your client's chart", message=NOT_YOURS)


def record_read(records: list[TreatmentPlan | Visit]) -> bool:
    """Record the read in each plan's and visit's access log; False if it could not be."""
    try:
        regimen().record_views(
            [r.id for r in records],
            actor=current_account().actor,
            record="chart",
            detail=request.path,
            via="web",
            reason="",
            now=now(),
        )
    except Exception:
        LOG.exception("could not record a read of a client's chart")
        return False
    return True


@web.get("/charts/<uuid:client_id>")
@therapist_page
def client_chart(client_id: UUID) -> tuple[str, int]:
    """The client's chart: timeline, latest assessment, referrals, authorizations, notes."""
    client = regimen().load(Client, client_id)
    records = client_records(client_id)
    refusal = refused(records.all)
    if refusal is not None:
        return refusal
    if not record_read(records.all):
        return page(
            "message.html",
            503,
            title="The chart cannot be shown just now",
            message="Every read of a chart is recorded, and this one could not be: "
            "the error has been logged. Please try again.",
        )
    return page("client_chart.html", client=client, **chart_values(records))
