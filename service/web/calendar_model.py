"""The calendar's layout: sessions placed on a day's time grid, or in a week's matrix. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

NO_ROOM = ""
STATUS_WORDS = {"booked": "", "performed": "Done", "missed": "No-show", "cancelled": "Cancelled"}
PLAN_SESSION = "session"  # the kind of a plan's session in the views; a visit has its own
KIND_LABELS = {"assessment": "Assessment", "single": "Single session", "follow-up": "Follow-up"}


@dataclass(frozen=True)
class Block:
    """One session as the calendar shows it, in the clinic's wall time."""

    plan_id: str
    number: int
    client_id: str
    client: str
    therapist_id: str
    therapist: str
    room_id: str
    room: str
    status: str
    start: datetime
    end: datetime
    late_cancel: bool = False
    unrecorded: bool = False
    confirmed: bool = False  # the client said they will come
    kind: str = PLAN_SESSION
    top: float = 0.0
    height: float = 0.0
    lane: int = 0
    lanes: int = 1

    @property
    def span(self) -> str:
        """'10:00–11:00'."""
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def is_visit(self) -> bool:
        """Whether this is a visit outside a plan (its `plan_id` is the visit's id)."""
        return self.kind != PLAN_SESSION

    @property
    def what(self) -> str:
        """'Assessment', 'Single session', 'Follow-up', or 'Session 3' of a plan."""
        return KIND_LABELS.get(self.kind, self.kind) if self.is_visit else f"Session {self.number}"

    @property
    def status_word(self) -> str:
        """What to say about the session's state ('' for an ordinary booking)."""
        if self.status == "cancelled" and self.late_cancel:
            return "Late cancel"
        if self.status == "booked" and self.unrecorded:
            return "Not recorded"
        if self.status == "booked" and self.confirmed:
            return "Confirmed"
        return STATUS_WORDS.get(self.status, self.status)

    @property
    def description(self) -> str:
        """A sentence for screen readers and tooltips."""
        state = f", {self.status_word.lower()}" if self.status_word else ""
        room = f" in {self.room}" if self.room else ""
        return (
            f"{self.start:%a %d %b} {self.span}: {self.client} with {self.therapist}"
            f"{room}, {self.what.lower()}{state}"
        )


def block_of(row: dict[str, Any], zone: str) -> Block:
    """A read-model session row as a block in the clinic's zone."""
    tz = ZoneInfo(zone)
    start = datetime.strptime(row["start_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    end = datetime.strptime(row["end_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return Block(
        plan_id=row["plan_id"],
        number=int(row["number"]),
        client_id=row["client_id"],
        client=row.get("client_name") or "Unknown client",
        therapist_id=row["therapist_id"],
        therapist=row.get("therapist_name") or "Unknown therapist",
        room_id=row.get("room_id") or NO_ROOM,
        room=row.get("room_name") or "",
        status=row["status"],
        start=start.astimezone(tz),
        end=end.astimezone(tz),
        late_cancel=bool(row.get("late_cancel")),
        unrecorded=bool(row.get("unrecorded")),
        confirmed=bool(row.get("confirmed")),
        kind=row.get("kind") or PLAN_SESSION,
    )


@dataclass
class Column:
    """A therapist or room and what it holds."""

    key: str
    name: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class DayGrid:
    """One day: a column per therapist or room, hours from first_hour to last_hour."""

    day: date
    first_hour: int
    last_hour: int
    columns: list[Column]
    cancelled: list[Block]
    now_top: float | None

    @property
    def hours(self) -> list[str]:
        """The hour labels down the side."""
        return [f"{h:02d}:00" for h in range(self.first_hour, self.last_hour)]


def resource_key(block: Block, by: str) -> str:
    """The column a block belongs in: its therapist's or its room's id."""
    return block.therapist_id if by == "therapist" else block.room_id


def columns_for(
    resources: Sequence[tuple[str, str]], blocks: Iterable[Block], by: str
) -> list[Column]:
    """A column per resource, in order, and one for bookings without a room if there are any."""
    columns = {key: Column(key, name) for key, name in resources}
    for block in blocks:
        key = resource_key(block, by)
        if key not in columns:
            columns[key] = Column(
                key, "No room" if key == NO_ROOM else block.room or block.therapist
            )
        columns[key].blocks.append(block)
    return list(columns.values())


def day_grid(
    day: date,
    blocks: list[Block],
    resources: Sequence[tuple[str, str]],
    by: str,
    opening: tuple[time, time] | None,
    now: datetime,
) -> DayGrid:
    """Lay out one day: active sessions on the grid, cancelled ones listed apart."""
    active = [b for b in blocks if b.status != "cancelled"]
    first, last = (
        (opening[0].hour, opening[1].hour + (opening[1].minute > 0)) if opening else (8, 20)
    )
    for block in active:
        first = min(first, block.start.hour if block.start.date() == day else 0)
        last = max(last, 24 if block.end.date() != day else block.end.hour + (block.end.minute > 0))
    top_of = _position(day, first, last)
    placed = [
        replace(b, top=top_of(b.start), height=round(top_of(b.end) - top_of(b.start), 3))
        for b in active
    ]
    columns = columns_for(resources, placed, by)
    for column in columns:
        column.blocks = _in_lanes(sorted(column.blocks, key=lambda b: (b.start, b.end)))
    local_now = now.astimezone(blocks[0].start.tzinfo) if blocks else now
    now_top = top_of(local_now) if local_now.date() == day else None
    return DayGrid(
        day=day,
        first_hour=first,
        last_hour=last,
        columns=columns,
        cancelled=sorted((b for b in blocks if b.status == "cancelled"), key=lambda b: b.start),
        now_top=now_top if now_top is not None and 0 <= now_top <= 100 else None,
    )


def _position(day: date, first_hour: int, last_hour: int) -> Any:
    total = (last_hour - first_hour) * 60

    def top_of(moment: datetime) -> float:
        if moment.date() < day:
            return 0.0
        if moment.date() > day:
            return 100.0
        minutes = moment.hour * 60 + moment.minute - first_hour * 60
        return round(min(max(minutes / total * 100, 0.0), 100.0), 3)

    return top_of


def _in_lanes(blocks: list[Block]) -> list[Block]:
    """Overlapping blocks side by side: each cluster of overlaps shares its width."""
    result: list[Block] = []
    cluster: list[Block] = []
    lane_ends: list[datetime] = []
    cluster_end: datetime | None = None
    for block in blocks:
        if cluster_end is not None and block.start >= cluster_end:
            result += [replace(b, lanes=len(lane_ends)) for b in cluster]
            cluster, lane_ends = [], []
        lane = next((i for i, end in enumerate(lane_ends) if end <= block.start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(block.end)
        else:
            lane_ends[lane] = block.end
        cluster.append(replace(block, lane=lane))
        cluster_end = max(cluster_end or block.end, block.end)
    result += [replace(b, lanes=len(lane_ends)) for b in cluster]
    return result


@dataclass(frozen=True)
class WeekRow:
    """A therapist or room across the week: the sessions of each day."""

    key: str
    name: str
    cells: list[list[Block]]


def week_rows(
    days: Sequence[date], blocks: list[Block], resources: Sequence[tuple[str, str]], by: str
) -> list[WeekRow]:
    """A row per therapist or room, a cell per day, sessions in time order (cancelled left out)."""
    active = [b for b in blocks if b.status != "cancelled"]
    rows = []
    for column in columns_for(resources, active, by):
        cells: list[list[Block]] = [[] for _ in days]
        for block in sorted(column.blocks, key=lambda b: b.start):
            if block.start.date() in days:
                cells[days.index(block.start.date())].append(block)
        rows.append(WeekRow(column.key, column.name, cells))
    return rows


def week_of(day: date) -> list[date]:
    """Monday to Sunday of the week holding the day."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]
