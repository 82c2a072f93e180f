"""A client's whole record, gathered for an export: the client, every plan and visit of
theirs, and their therapists' names; an export is logged against each of those plans and
visits. The API's export and the client's own page share it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.staff import Therapist
from service.domain.values import Actor
from service.domain.visit import Visit
from service.http.context import reads, regimen
from service.reports.fhir import ClientRecord

MOST_RECORDS = 500


def client_record(client_id: UUID) -> ClientRecord:
    """The client, every plan and visit of theirs, and their therapists' names."""
    app = regimen()
    client = app.load(Client, client_id)
    model = reads()
    plan_ids = [
        UUID(r["plan_id"]) for r in model.plans(client_id=str(client_id), limit=MOST_RECORDS).items
    ]
    visit_ids = [UUID(i) for i in model.visit_ids(str(client_id))]
    found = app.current([*plan_ids, *visit_ids])
    plans = tuple(a for a in found.values() if isinstance(a, TreatmentPlan))
    visits = tuple(a for a in found.values() if isinstance(a, Visit))
    therapist_ids = {p.therapist_id for p in plans} | {v.session.therapist_id for v in visits}
    therapists = app.current(therapist_ids)
    names = {i: t.name for i, t in therapists.items() if isinstance(t, Therapist)}
    return ClientRecord(client_id, client, plans, visits, names)


def exported_record(
    client_id: UUID, form: str, *, actor: Actor, via: str, now: datetime
) -> ClientRecord:
    """The client's whole record, logged as exported in `form` by `actor`."""
    found = client_record(client_id)
    regimen().record_views(
        [p.id for p in found.plans] + [v.id for v in found.visits],
        actor=actor,
        record="export",
        detail=f"format={form}",
        via=via,
        now=now,
    )
    return found
