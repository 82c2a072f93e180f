"""Recording every read of a plan's clinical record, and listing those reads for auditors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.domain.access import PlanAccessDay
from service.domain.errors import InvalidValue
from service.domain.values import Actor

MAX_DAYS = 366


@dataclass(frozen=True)
class View:
    """One recorded read of a plan's clinical record."""

    plan_id: UUID
    at: datetime
    actor: Actor
    record: str
    detail: str
    via: str
    reason: str = ""  # why someone read outside their own clients ("break the glass")

    @property
    def break_glass(self) -> bool:
        """Whether this read was outside the reader's own clients, for a stated reason."""
        return bool(self.reason)


class AccessLogging(BaseApplication):
    """Reads of clinical records, themselves stored as (sealed) events."""

    @retried
    def record_views(
        self,
        plan_ids: Iterable[UUID],
        *,
        actor: Actor,
        record: str,
        detail: str = "",
        via: str = "api",
        reason: str = "",
        now: datetime,
    ) -> None:
        """Append a view to each plan's log of the day; all plans in one atomic save."""
        wanted = list(dict.fromkeys(plan_ids))
        if not wanted:
            return
        day = now.astimezone(UTC).date()

        logs = []
        for plan_id in wanted:
            log = self.find(PlanAccessDay, PlanAccessDay.create_id(plan_id, day))
            if log is None:
                log = PlanAccessDay(plan_id=plan_id, day=day, actor=actor, timestamp=now)
            log.record_view(
                actor=actor,
                record=record,
                detail=detail,
                via=via,
                timestamp=now,
                reason=reason,
            )
            logs.append(log)
        self.save(*logs)

    def access_log(self, plan_id: UUID, first_day: date, last_day: date) -> list[View]:
        """Every recorded read of a plan between two UTC days (inclusive), oldest first."""
        if last_day < first_day:
            raise InvalidValue("the last day comes before the first")
        if (last_day - first_day).days >= MAX_DAYS:
            raise InvalidValue(f"ask for at most {MAX_DAYS} days at a time")
        views = []
        for ordinal in range(first_day.toordinal(), last_day.toordinal() + 1):
            day = date.fromordinal(ordinal)
            for event in self.events.get(PlanAccessDay.create_id(plan_id, day)):
                if isinstance(event, PlanAccessDay.RecordViewed):
                    views.append(
                        View(
                            plan_id=plan_id,
                            at=event.timestamp,
                            actor=event.actor,
                            record=event.record,
                            detail=event.detail,
                            via=event.via,
                            reason=getattr(event, "reason", ""),
                        )
                    )
        return views
