"""Which clients' charts a therapist may read or change, for the API and the pages alike.

A therapist user is linked to their therapist record. They read and change the
clinical records of the clients they treat (a plan of theirs, a session booked
with them); the clinic can open every chart to every therapist. Reading another
therapist's client needs a stated reason ("break the glass"), which the access log
keeps; changing another therapist's plan is refused.
"""

from __future__ import annotations

from uuid import UUID

from service.domain.access import ChartAccess, ChartUse, chart_access
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.plan import TreatmentPlan
from service.domain.visit import Visit
from service.http.context import reads, regimen

UNLINKED = (
    "this therapist user is not linked to a therapist record, so it has no clients: an admin "
    "links it with `regimen users link NAME --therapist THERAPIST_ID_OR_NAME`"
)


def charts_open_to_all() -> bool:
    """Whether the clinic lets every therapist read and change every chart."""
    clinic = regimen().find(Clinic, CLINIC_ID)
    return bool(getattr(clinic, "charts_open_to_all_therapists", False))


def treating(record: TreatmentPlan | Visit, therapist_id: UUID) -> set[UUID]:
    """The therapists treating the client of a plan or a visit, as far as deciding for this
    one needs."""
    if isinstance(record, Visit):
        found = {record.session.therapist_id}
    else:
        found = {record.therapist_id} | {s.therapist_id for s in record.sessions}
    if therapist_id not in found and reads().treats(str(therapist_id), str(record.client_id)):
        found.add(therapist_id)
    return found


def access_to(
    therapist_id: UUID | None, record: TreatmentPlan | Visit, use: ChartUse, reason: str = ""
) -> ChartAccess:
    """Whether this therapist may read (or change) the chart the plan or visit belongs to."""
    return chart_access(
        therapist_id,
        treating(record, therapist_id) if therapist_id is not None else set(),
        open_to_all=charts_open_to_all(),
        use=use,
        reason=reason,
    )
