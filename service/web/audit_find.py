"""The auditor's workspace, read-only: find plans, and the "who did what, when" index.

Every filter is a GET parameter, shown above the results as a chip whose link removes it.
Nothing here changes anything; auditors reach no page that does (see security.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import request, url_for

from service.domain.values import Actor, PlanStatus, Role
from service.http.context import clinic_zone, local, page, reads, regimen, zone_label
from service.web.audit_words import long_time, type_words, who
from service.web.blueprint import web
from service.web.security import audit_page

RESULTS = 50
SYSTEM = "system"  # the actor filter's value for the scheduler


@dataclass(frozen=True)
class Chip:
    """An active filter, and the address of the same search without it."""

    label: str
    remove: str


def user_names() -> dict[str, str]:
    """Who acted, by user id: every account's name (revoked ones too) and the CLI's."""
    return regimen().actor_names()


def names_of(kind: str) -> dict[UUID, str]:
    """Therapists, clients or rooms by id, from the directory."""
    rows = reads().directory(kind, limit=500).items
    return {UUID(row["id"]): row["name"] for row in rows}


def chips(args: Mapping[str, str], labels: Mapping[str, str], endpoint: str) -> list[Chip]:
    """One chip per filter given, each linking to the search without it."""
    found = []
    for name, label in labels.items():
        if args.get(name):
            rest = {k: v for k, v in args.items() if v and k != name and k != "cursor"}
            address = url_for(endpoint) + (f"?{urlencode(rest)}" if rest else "")
            found.append(Chip(label, address))
    return found


def day_arg(name: str, label: str, errors: dict[str, str]) -> date | None:
    """A YYYY-MM-DD parameter, or None; a bad one is noted in `errors`."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = f"{label} must be a date like 2026-03-02, not {raw[:40]!r}."
        return None


def listed_arg(name: str, allowed: Collection[str], what: str, errors: dict[str, str]) -> str:
    """A parameter that must be one of a list's values, as given; one not listed is noted
    in `errors`."""
    value = request.args.get(name, "").strip()[:100]
    if value and value not in allowed:
        errors[name] = f"Choose {what} from the list."
    return value


def day_start(day: date, zone: str) -> datetime:
    """The instant a clinic day begins."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(zone))


def day_end(day: date, zone: str) -> datetime:
    """The instant after a clinic day ends (the next day's start)."""
    return day_start(day + timedelta(days=1), zone) if day < date.max else day_start(day, zone)


def check_range(first: date | None, last: date | None, errors: dict[str, str]) -> None:
    """A range whose end comes before its start is an error beside the end."""
    if first and last and last < first:
        errors["until"] = "The last day comes before the first."


def cursor_arg(keys: tuple[str, ...], errors: dict[str, str]) -> str | None:
    """The next page's cursor, if one was given and it is one this page made."""
    cursor = request.args.get("cursor") or None
    if cursor is None:
        return None
    try:
        reads().cursors.open(cursor, keys)
    except Exception:  # noqa: BLE001  any malformed cursor reads as "start again"
        errors["cursor"] = "That page link is not valid any more; the first page is shown."
        return None
    return cursor


def next_link(endpoint: str, cursor: str | None) -> str:
    """The address of the next page of the same search."""
    if cursor is None:
        return ""
    rest = {k: v for k, v in request.args.items() if v and k != "cursor"}
    return url_for(endpoint) + "?" + urlencode({**rest, "cursor": cursor})


@web.get("/audit")
@audit_page
def audit_find() -> tuple[str, int]:
    """Find plans by client, therapist, status and the day they were proposed."""
    zone = clinic_zone()
    errors: dict[str, str] = {}
    args = {k: request.args.get(k, "").strip()[:100] for k in ("client", "therapist", "status")}
    therapists = names_of("therapist")
    therapist_id = args["therapist"] if _known(args["therapist"], therapists) else ""
    if args["therapist"] and not therapist_id:
        errors["therapist"] = "Choose a therapist from the list."
    statuses = [s.value for s in PlanStatus]
    listed_arg("status", statuses, "a status", errors)
    since, until = (
        day_arg("since", "The first day", errors),
        day_arg("until", "The last day", errors),
    )
    check_range(since, until, errors)
    cursor = cursor_arg(("proposed_at", "plan_id"), errors)
    found = reads().plans(
        client_name=args["client"],
        therapist_id=therapist_id or None,
        status=args["status"] if args["status"] in statuses else None,
        proposed_since=day_start(since, zone) if since and "until" not in errors else None,
        proposed_until=day_end(until, zone) if until and "until" not in errors else None,
        limit=RESULTS,
        cursor=cursor,
    )
    rows = [{**row, "proposed": local(row["proposed_at"], zone)} for row in found.items]
    labels = {
        "client": f"Client: {args['client']}",
        "therapist": f"Therapist: {therapists.get(_uuid(therapist_id) or UUID(int=0), '?')}",
        "status": f"Status: {args['status']}",
        "since": f"Proposed from {request.args.get('since', '')}",
        "until": f"Proposed until {request.args.get('until', '')}",
    }
    given = {k: request.args.get(k, "").strip() for k in labels}
    return page(
        "audit_find.html",
        422 if errors else 200,
        active="audit_find",
        args={**args, "since": given["since"], "until": given["until"]},
        therapists=sorted(therapists.items(), key=lambda item: item[1]),
        status_options=[(s, s.capitalize()) for s in statuses],
        rows=rows,
        chips=chips(given, labels, "web.audit_find"),
        errors=errors,
        next_page=next_link("web.audit_find", found.next_cursor),
        zone_label=zone_label(zone),
        long_time=long_time,
    )


@web.get("/audit/who")
@audit_page
def audit_who() -> tuple[str, int]:
    """Who did what, when: the audit index by actor (by name), event type and time."""
    zone = clinic_zone()
    errors: dict[str, str] = {}
    users, types = user_names(), reads().audit_event_types()
    actor = listed_arg("actor", [*users, SYSTEM], "someone", errors)
    kind = listed_arg("type", types, "a kind of event", errors)
    since, until = (
        day_arg("since", "The first day", errors),
        day_arg("until", "The last day", errors),
    )
    check_range(since, until, errors)
    cursor = cursor_arg(("position",), errors)
    actor_ok = actor and "actor" not in errors
    found = reads().audit(
        event_type=kind if kind in types else None,
        actor_id=actor if actor_ok and actor != SYSTEM else None,
        actor_role=SYSTEM if actor_ok and actor == SYSTEM else None,
        since=day_start(since, zone) if since and "until" not in errors else None,
        until=day_end(until, zone) if until and "until" not in errors else None,
        limit=RESULTS,
        cursor=cursor,
    )
    rows = [_index_row(row, users, zone) for row in found.items]
    _name_plans(rows)
    actor_name = "Scheduler" if actor == SYSTEM else users.get(actor, "?")
    labels = {
        "actor": f"Who: {actor_name}",
        "type": f"What: {type_words(kind)}",
        "since": f"From {request.args.get('since', '')}",
        "until": f"Until {request.args.get('until', '')}",
    }
    given = {k: request.args.get(k, "").strip() for k in labels}
    people = sorted(users.items(), key=lambda item: item[1].casefold())
    return page(
        "audit_who.html",
        422 if errors else 200,
        active="audit_who",
        args=given,
        people=[*people, (SYSTEM, "Scheduler")],
        types=[(t, type_words(t)) for t in types],
        rows=rows,
        chips=chips(given, labels, "web.audit_who"),
        errors=errors,
        next_page=next_link("web.audit_who", found.next_cursor),
        zone_label=zone_label(zone),
    )


def _index_row(row: Mapping[str, Any], users: Mapping[str, str], zone: str) -> dict[str, Any]:
    role = row["actor_role"]
    actor = Actor(user_id=row["actor_id"] or "", role=Role(role)) if role else None
    at = local(row["at"], zone)
    plan = row["aggregate"] == "TreatmentPlan"
    return {
        **row,
        "role": role,
        "who": who(actor, users),
        "what": type_words(row["event_type"]),
        "at_text": long_time(at),
        "at_utc": row["at"],
        "link": url_for("web.audit_timeline", plan_id=row["originator_id"]) if plan else "",
        "anchor": f"v{row['version']}",
        "of": "Plan" if plan else row["aggregate"],
    }


def _name_plans(rows: list[dict[str, Any]]) -> None:
    """Whose plan each plan's row is about: 'Hannah Fischer's plan'."""
    plans = {row["originator_id"] for row in rows if row["link"]}
    if not plans:
        return
    clients = names_of("client")
    owners = {}
    for plan_id in plans:
        summary = reads().plan_summary(plan_id)
        client = _uuid(summary["client_id"]) if summary else None
        owners[plan_id] = clients.get(client) if client else None
    for row in rows:
        owner = owners.get(row["originator_id"])
        row["of"] = f"{owner}’s plan" if owner else "Plan"


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _known(text: str, names: Mapping[UUID, str]) -> bool:
    value = _uuid(text) if text else None
    return value is not None and value in names
