"""Applying events to one view alone, to find the one event it cannot apply.

When a batch fails, each view applies it on its own: it turns each event into rows
(decoding and its handler may raise) and writes them, halving the run it writes until
the database refuses a single event. Everything before that event is written and
tracked, so the view stops just before it, and the fault is recorded for every process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, Tracking

from service.adapters.view_recorders import ViewRecorder
from service.adapters.view_statements import Statement
from service.projections.faults import Fault, clear_faults, record_fault
from service.projections.locked import ViewDatabase
from service.projections.rows import coalesce
from service.projections.view import View

LOG = logging.getLogger("regimen.projections")
# The database is unreachable or busy: no event is at fault, so nothing is recorded.
UNAVAILABLE = (OperationalError, InterfaceError)
Step = tuple[int, list[Statement]]


class Isolation:
    """Applies notifications to a single view, and records where it cannot go on."""

    def __init__(
        self,
        app: Any,
        recorder: ViewRecorder,
        database: ViewDatabase,
        tracking_name: Callable[[View], str],
        clock: Callable[[], datetime],
    ) -> None:
        self.app = app
        self.recorder = recorder
        self.database = database
        self.tracking_name = tracking_name
        self.clock = clock

    def apply(self, view: View, after: int, notifications: Sequence[Any]) -> Fault | None:
        """Apply the notifications after `after` to the view; the fault if it had to stop."""
        fault = self._attempt(view, after, notifications)
        if fault is not None:
            record_fault(self.database, fault)
            LOG.error("%s; the other views go on", fault.describe())
        return fault

    def retry(self, view: View, fault: Fault) -> bool:
        """Try a stuck view's event once more; True (and the fault cleared) if it applied."""
        after = self.recorder.max_tracking_id(self.tracking_name(view)) or 0
        notifications = self.app.recorder.select_notifications(
            start=after, limit=1, inclusive_of_start=False
        )
        if self._attempt(view, after, notifications) is not None:
            LOG.debug("%s (tried again)", fault.describe())
            return False
        clear_faults(self.database, [view.name])
        LOG.info("view %s applied the event at %s and goes on", view.name, fault.position)
        return True

    def _attempt(self, view: View, after: int, notifications: Sequence[Any]) -> Fault | None:
        steps: list[Step] = []
        failed: tuple[Any, Exception] | None = None
        for notification in notifications:
            if notification.id <= after:
                continue
            try:
                event = self.app.mapper.to_domain_event(notification)
                steps.append(
                    (notification.id, coalesce(view.writes([(notification.id, event)], after)))
                )
            except Exception as error:  # undecodable, or the view's handler fails on it
                failed = notification, error
                break
        refused = self._write(view, steps)
        if refused is not None:
            position, refusal = refused
            failed = next(n for n in notifications if n.id == position), refusal
        return self._fault(view, *failed) if failed else None

    def _write(self, view: View, steps: Sequence[Step]) -> tuple[int, Exception] | None:
        """Write the steps, halving the run after a refusal; the first step refused alone."""
        done = 0
        while done < len(steps):
            size = len(steps) - done
            while True:
                run = steps[done : done + size]
                statements = [statement for _, step in run for statement in step]
                try:
                    self.recorder.write(
                        statements, [Tracking(self.tracking_name(view), run[-1][0])]
                    )
                except UNAVAILABLE:
                    raise
                except Exception as error:
                    if isinstance(error, IntegrityError) and self._moved(view, run[0][0]):
                        return None  # another process wrote these first: it goes on
                    if size == 1:
                        return run[0][0], error
                    size //= 2
                    continue
                done += size
                break
        return None

    def _moved(self, view: View, position: int) -> bool:
        return (self.recorder.max_tracking_id(self.tracking_name(view)) or 0) >= position

    def _fault(self, view: View, notification: Any, error: Exception) -> Fault:
        return Fault(
            view=view.name,
            position=notification.id,
            event_type=notification.topic.rsplit(":", 1)[-1],
            aggregate_id=str(notification.originator_id),
            error=f"{type(error).__name__}: {error}",
            at=self.clock().isoformat(),
        )
