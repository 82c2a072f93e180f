"""My day: the therapist's sessions and visits of a day in order, what each needs next, and
what of their caseload waits for them: sessions left unrecorded, plans running out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from flask import request

from service.application.housekeeping import (
    AUTHORIZATION_WARNING_DAYS,
    AUTHORIZATION_WARNING_UNITS,
    AUTHORIZATION_WARNING_VISITS,
    few_units_left,
    few_visits_left,
)
from service.domain.adherence import Adherence
from service.domain.values import RECORDING_GRACE
from service.domain.visit import Visit
from service.http.context import clinic_zone, now, page, reads, regimen, today, utc_text, zone_label
from service.projections.caseload import authorization_left
from service.web.blueprint import web
from service.web.calendar_model import KIND_LABELS, Block, block_of
from service.web.clinical_access import my_therapist_id, therapist_page
from service.web.clinical_links import assess_path, chart_path, progress_path, record_path

ASSESS, RECORD, EVALUATE = "assess", "record", "evaluate"
STEP_WORDS = {ASSESS: "Assess", RECORD: "Record", EVALUATE: "Evaluate"}
ASSESSING_KINDS = ("assessment", "follow-up")  # visits whose point is an assessment
UNRECORDED_DAYS = 30  # how far back the list of sessions left unrecorded looks
# The days that can be shown: each has a day before and after it that a date can hold.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


@dataclass(frozen=True)
class DayItem:
    """One session or visit as the therapist's list shows it, with what it needs next."""

    block: Block
    series: str  # 'Session 3 of 6', or the kind of visit
    about: str  # the plan's intention and focus, or the visit's complaint
    step: str  # ASSESS, RECORD, EVALUATE, or '' (upcoming, done, cancelled, missed)
    step_path: str
    chart_path: str
    progress_path: str
    started: bool

    @property
    def step_word(self) -> str:
        """'Record', 'Assess', 'Evaluate', or ''."""
        return STEP_WORDS.get(self.step, "")

    @property
    def state(self) -> str:
        """How the session stands, in a word or two."""
        if self.step == ASSESS:
            return "Not assessed"
        if self.step == RECORD:
            return "Not recorded"
        if self.block.status == "booked":
            return "Assessed" if self.started else "Upcoming"
        return self.block.status_word


def has_started(row: Mapping[str, Any], now: datetime) -> bool:
    """Whether the session's start has passed (the views keep UTC instants as sortable text)."""
    return bool(row["start_utc"] <= utc_text(now))


def next_step(row: Mapping[str, Any], now: datetime, assessed: bool) -> str:
    """What a session or visit needs next: an assessment visit not assessed yet, once it has
    started; a started session with nothing recorded; a performed session not evaluated."""
    kind, status = row["kind"], row["status"]
    started = has_started(row, now)
    if kind in ASSESSING_KINDS and status in ("booked", "performed"):
        return ASSESS if started and not assessed else ""  # the assessment is its record
    if status == "booked" and started:
        return RECORD
    if status == "performed" and kind == "session" and not row["evaluated"]:
        return EVALUATE
    return ""


def series_text(row: Mapping[str, Any]) -> str:
    """'Session 3 of 6' for a plan's session; the kind of a visit."""
    if row["kind"] != "session":
        return f"{KIND_LABELS.get(row['kind'], row['kind'])} visit"
    planned = row.get("sessions_planned")
    return f"Session {row['number']} of {planned}" if planned else f"Session {row['number']}"


def about_text(row: Mapping[str, Any], visit: Visit | None) -> str:
    """The plan's intention and focus areas, or the complaint the visit was booked for."""
    if row["kind"] != "session":
        return visit.complaint if visit is not None else ""
    focus = row.get("focus_areas") or ""
    intention = (row.get("intention") or "").capitalize()
    return f"{intention}: {focus}" if focus else intention


def day_items(
    rows: list[dict[str, Any]], zone: str, moment: datetime, visits: Mapping[str, Visit]
) -> list[DayItem]:
    """The rows as the list shows them, with their next steps and links."""
    items = []
    for row in rows:
        visit = visits.get(row["plan_id"])
        assessed = visit is not None and visit.assessment is not None
        step = next_step(row, moment, assessed)
        is_plan = row["kind"] == "session"
        if step == ASSESS:
            step_path = assess_path(row["plan_id"])
        else:
            step_path = record_path(row["plan_id"], int(row["number"])) if step else ""
        items.append(
            DayItem(
                block=block_of(row, zone),
                series=series_text(row),
                about=about_text(row, visit),
                step=step,
                step_path=step_path,
                chart_path=chart_path(row["client_id"]),
                progress_path=progress_path(row["plan_id"]) if is_plan else "",
                started=has_started(row, moment),
            )
        )
    return items


def visits_of(rows: list[dict[str, Any]]) -> dict[str, Visit]:
    """The visits among the rows, read together (their assessments are not in the views)."""
    ids = {UUID(row["plan_id"]) for row in rows if row["kind"] != "session"}
    found = regimen().current(ids)
    return {str(key): value for key, value in found.items() if isinstance(value, Visit)}


def left_text(left: int | None, authorized: Any, noun: str) -> str:
    """'1 authorized visit left of 2', '3 authorized units left of 40'."""
    return f"{left} authorized {noun if left == 1 else f'{noun}s'} left of {authorized}"


def running_out_reasons(row: Mapping[str, Any], on: date) -> list[str]:
    """Why a plan is listed as running out: its authorization's visits, units or dates, its
    series."""
    reasons = []
    # Each None unless there is an authorization counting them.
    visits_left = authorization_left(row["auth_visits"], row["auth_used"])
    if few_visits_left(visits_left):
        reasons.append(left_text(visits_left, row["auth_visits"], "visit"))
    units_left = authorization_left(row["auth_units"], row["auth_units_used"])
    if few_units_left(units_left):
        reasons.append(left_text(units_left, row["auth_units"], "unit"))
    if row["auth_valid_until"] is not None:
        valid_until = date.fromisoformat(row["auth_valid_until"])
        if valid_until < on:
            reasons.append(f"the authorization ended on {valid_until:%d %b %Y}")
        elif valid_until - on <= timedelta(days=AUTHORIZATION_WARNING_DAYS):
            reasons.append(f"the authorization is valid until {valid_until:%d %b %Y}")
    done, booked = int(row["sessions_done"]), int(row["sessions_booked"])
    if row["status"] == "agreed" and done > 0 and booked <= 1:
        reasons.append(f"{done} of {row['sessions_planned']} sessions done, {booked} booked")
    return reasons


def sentence(parts: list[str]) -> str:
    """The parts joined as one sentence."""
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def listed_plan(row: Mapping[str, Any], why: str) -> dict[str, Any]:
    """A plan of the therapist's caseload as My day lists it, with why it is listed."""
    return {
        "client": row["client_name"] or "Unknown client",
        "about": about_text({**row, "kind": "session"}, None),
        "why": why,
        "chart_path": chart_path(row["client_id"]),
        "progress_path": progress_path(row["plan_id"]),
    }


def running_out(therapist_id: str, on: date) -> list[dict[str, Any]]:
    """The therapist's plans whose authorization or series is running out, with why."""
    by = on + timedelta(days=AUTHORIZATION_WARNING_DAYS)
    rows = reads().plans_running_out(
        therapist_id, by, AUTHORIZATION_WARNING_VISITS, AUTHORIZATION_WARNING_UNITS
    )
    return [listed_plan(row, sentence(running_out_reasons(row, on))) for row in rows]


def not_booked(therapist_id: str) -> list[dict[str, Any]]:
    """The therapist's rolling series the scheduler could not book on its own (the desk
    sees them too, and books them)."""
    rows = reads().needs_attention(now(), therapist_id=therapist_id)
    return [
        listed_plan(
            row,
            sentence(
                [
                    *([f"cannot be booked: {row['blocked']}"] if row["blocked"] else []),
                    *(
                        [f"never booked: {row['passed_unbooked']}"]
                        if row["passed_unbooked"]
                        else []
                    ),
                ]
            ),
        )
        for row in rows
    ]


def drifting(therapist_id: str, on: date) -> list[dict[str, Any]]:
    """The therapist's agreed plans whose sessions drift from the planned interval."""
    return [
        listed_plan(row, drift_text(found))
        for row, found in reads().plans_drifting(therapist_id, on)
    ]


def drift_text(found: Adherence) -> str:
    """Planned every 7 days; kept 7 and 14 days apart; 12 days since the last session."""
    parts = [f"planned every {found.planned_interval_days} days"]
    if found.gaps_days:
        parts.append(f"kept {' and '.join(map(str, found.gaps_days))} days apart")
    if found.days_since_last is not None:
        days = found.days_since_last
        parts.append(f"{days} day{'' if days == 1 else 's'} since the last session")
    return sentence(parts)


def requested_day(zone: str) -> tuple[date, str]:
    """The day asked for (`?date=YYYY-MM-DD`, today without one), and a problem if the date
    could not be read."""
    asked = request.args.get("date", "").strip()
    if not asked:
        return today(zone), ""
    try:
        day = date.fromisoformat(asked)
    except ValueError:
        shown = asked[:20]
        return today(zone), f"“{shown}” is not a date (YYYY-MM-DD): today is shown instead."
    if not FIRST_DAY <= day <= LAST_DAY:
        return today(zone), f"{day} is too far away to show: today is shown instead."
    return day, ""


def my_day_values(therapist_id: str, day: date, zone: str) -> dict[str, Any]:
    """Everything My day shows for this therapist and day."""
    moment = now()
    model = reads()
    rows = model.therapist_day(therapist_id, day, zone)
    ended = model.ended_unrecorded(
        therapist_id, moment - timedelta(days=UNRECORDED_DAYS), moment - RECORDING_GRACE
    )
    listed = {(row["plan_id"], row["number"]) for row in rows}
    ended = [row for row in ended if (row["plan_id"], row["number"]) not in listed]
    visits = visits_of(rows + ended)
    unrecorded = [
        item for item in day_items(ended, zone, moment, visits) if item.step in (RECORD, ASSESS)
    ]
    on = today(zone)
    return {
        "day": day,
        "today": on,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "items": day_items(rows, zone, moment, visits),
        "unrecorded": unrecorded,
        "unrecorded_days": UNRECORDED_DAYS,
        "running_out": running_out(therapist_id, on),
        "drifting": drifting(therapist_id, on),
        "not_booked": not_booked(therapist_id),
        "zone_label": zone_label(zone, day),
    }


@web.get("/today")
@therapist_page
def my_day() -> tuple[str, int]:
    """The signed-in therapist's day: sessions and visits in order, and what needs doing."""
    zone = clinic_zone()
    day, problem = requested_day(zone)
    values = my_day_values(str(my_therapist_id()), day, zone)
    return page("my_day.html", 422 if problem else 200, error=problem, **values)
