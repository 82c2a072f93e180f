"""Keeping views up to date: pull notifications after each view's position, exactly once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from service.adapters.view_recorders import ViewRecorder, view_recorder_for
from service.adapters.view_statements import Statement
from service.projections.directory_keys import looking_up_with, lookup_key_of
from service.projections.faults import Fault, clear_faults, faults_of
from service.projections.isolation import Isolation
from service.projections.locked import ViewDatabase
from service.projections.rows import Write, coalesce
from service.projections.views import ALL_VIEWS, View

BATCH = 1000
REBUILD_BATCH = 10000  # fewer, larger transactions when replaying the whole log
PAGE = 100  # notifications read and decoded at once (see _write_batch)
VERSIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS rv_view_versions (view TEXT PRIMARY KEY, version INTEGER NOT NULL)",
)
LOG = logging.getLogger("regimen.projections")
Progress = Callable[[int], None]


def drop_indexes(view: View) -> list[str]:
    """DROP statements for the secondary indexes of the tables the view empties on a rebuild
    (recreated from `view.tables`); a table it keeps, such as the outbox, keeps them, and so
    does an index the view's own writes look rows up by."""
    emptied = {statement.split()[-1] for statement in view.clear}
    names = [
        statement.split("IF NOT EXISTS ", 1)[1].split()[0]
        for statement in view.tables
        if statement.startswith("CREATE INDEX")
        and statement.split(" ON ", 1)[1].split()[0] in emptied
    ]
    return [f"DROP INDEX IF EXISTS {name}" for name in names if name not in view.looked_up]


class Projector:
    """Brings every view up to the end of the log; safe to run in many processes at once.

    Each batch is written with its tracking positions in one transaction. If
    another process wrote the same batch first, the tracking insert fails, the
    transaction rolls back, and this process re-reads the positions and goes on.
    If a batch fails for any other reason, each view applies it alone, and a view
    that cannot apply an event stops just before it (see faults.py); the others go on.
    """

    def __init__(
        self,
        app: Any,
        views: Sequence[View] = ALL_VIEWS,
        batch: int = BATCH,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.app = app
        self.views = tuple(views)
        self.batch = batch
        self.recorder: ViewRecorder = view_recorder_for(app)  # tables made by the schema steps
        self.database = ViewDatabase.of(self.recorder)
        self.isolation = Isolation(app, self.recorder, self.database, self.tracking_name, clock)
        self.stuck: dict[str, Fault] = {}  # updated in place: ReadyViews holds this dict
        self.lookup_key = lookup_key_of(app)  # the directory's, with a cipher key
        # The events table, where the views live in the event store's own database.
        self.log = app.recorder.events_table_name if hasattr(app.recorder, "datastore") else None
        self._refresh_stuck()

    def upgrade_views(self) -> list[str]:
        """Drop and recreate, empty, any view whose table layout changed (it then fills
        again from the log); the names of those views. Only `regimen db upgrade` and the
        projections process call this, never a web worker."""
        upgraded = []
        for view in self.views:
            rebuild = (*view.drop, *view.tables)
            if self.recorder.upgrade(self.tracking_name(view), view.name, view.version, rebuild):
                LOG.info("view %s is now version %s: rebuilding it", view.name, view.version)
                upgraded.append(view.name)
        return upgraded

    def tracking_name(self, view: View) -> str:
        """The key a view's position is tracked under."""
        return f"{self.app.name}/{view.name}"

    def positions(self) -> dict[str, int]:
        """How far each view has processed the log."""
        return self._tracked(with_head=False)[0]

    def _tracked(self, *, with_head: bool = True) -> tuple[dict[str, int], int | None]:
        """Each view's position and (where the views share the event store's database)
        the log's last position, in one statement: a read that finds every view up to
        date asks nothing more."""
        names = {self.tracking_name(view): view.name for view in self.views}
        found, head = self.recorder.tracked(list(names), self.log if with_head else None)
        return {names[name]: position for name, position in found.items()}, head

    def catch_up(self, progress: Progress | None = None) -> int:
        """Process every notification the views have not; returns how many were read."""
        with looking_up_with(self.lookup_key):
            return self._catch_up(progress)

    def _catch_up(self, progress: Progress | None = None) -> int:
        """Process every notification the views have not; returns how many were read.

        A stuck view gets one attempt at its event per catch-up (cheap: one event), so a
        release that can apply it resumes the view, and one that cannot does not spin.
        Faults recorded by other processes are read at start and by `readiness`, not on
        every catch-up (every read catches up first): a process that did not know of one
        meets the same event in its own next batch, and stops the view there itself.
        """
        for view in self.views:
            if view.name in self.stuck and self.isolation.retry(view, self.stuck[view.name]):
                del self.stuck[view.name]
        processed = 0
        while True:
            positions, head = self._tracked()
            moving = [view for view in self.views if view.name not in self.stuck]
            if not moving:
                return processed
            start = min(positions[view.name] for view in moving)
            if head is not None and start >= head:
                return processed
            try:
                read = self._write_batch(start, positions, moving)
            except IntegrityError:
                if self.positions() != positions:
                    LOG.debug("another process wrote the batch after %s; moving on", start)
                    continue
                read = self._isolate(start, positions, moving)
            except Exception:
                read = self._isolate(start, positions, moving)
            if not read:
                return processed
            processed += read
            if progress:
                progress(read)

    def _refresh_stuck(self) -> None:
        """Learn the faults recorded by any process (in place, for the readers' sake)."""
        names = {view.name for view in self.views}
        faults = {name: f for name, f in faults_of(self.recorder).items() if name in names}
        self.stuck.clear()
        self.stuck.update(faults)

    def _isolate(self, start: int, positions: dict[str, int], views: Sequence[View]) -> int:
        """Apply a failed batch view by view; views that cannot apply an event stop there."""
        notifications = self.app.recorder.select_notifications(
            start=start, limit=self.batch, inclusive_of_start=False
        )
        for view in views:
            fault = self.isolation.apply(view, positions[view.name], notifications)
            if fault is not None:
                self.stuck[view.name] = fault
        return len(notifications)

    def _write_batch(self, start: int, positions: dict[str, int], views: Sequence[View]) -> int:
        """Write what up to a batch of notifications after `start` mean for the views, and
        the views' new positions, in one transaction; returns how many were read.

        The notifications are read and decoded a small page at a time. What is kept for
        the transaction, statements of plain values, the garbage collector soon stops
        tracking; a whole batch of notifications and events kept alive would instead be
        promoted to its oldest generation, triggering full collections of the whole heap
        again and again (in a rebuild of 100k events, 19 took a sixth of the time; now 5).
        """
        statements: list[Statement] = []
        read, last = 0, start
        while read < self.batch:
            limit = min(PAGE, self.batch - read)
            page = self.app.recorder.select_notifications(
                start=last, limit=limit, inclusive_of_start=False
            )
            if page:
                statements.extend(self._statements(page, positions, views))
                read += len(page)
                last = page[-1].id
            if len(page) < limit:
                break
        if read:
            trackings = [
                Tracking(self.tracking_name(view), last)
                for view in views
                if positions[view.name] < last
            ]
            self.recorder.write(statements, trackings)
        return read

    def _statements(
        self, notifications: Sequence[Any], positions: dict[str, int], views: Sequence[View]
    ) -> list[Statement]:
        """What the notifications write to the views that have not processed them."""
        events = [(n.id, self.app.mapper.to_domain_event(n)) for n in notifications]
        writes: list[Write] = []
        for view in views:
            writes.extend(view.writes(events, positions[view.name]))
        return coalesce(writes)

    def rebuild(self, names: Sequence[str] = (), progress: Progress | None = None) -> int:
        """Empty the named views (all by default) and build them again from the log."""
        chosen = [v for v in self.views if not names or v.name in names]
        unknown = set(names) - {v.name for v in self.views}
        if unknown:
            raise ValueError(f"no such view: {', '.join(sorted(unknown))}")
        # Without their secondary indexes the tables fill several times faster.
        for view in chosen:
            self.recorder.reset(self.tracking_name(view), (*view.clear, *drop_indexes(view)))
        clear_faults(self.database, [view.name for view in chosen])
        batch, self.batch = self.batch, max(self.batch, REBUILD_BATCH)
        try:
            return self.catch_up(progress)
        finally:
            self.batch = batch
            self.recorder.create_view_tables([t for view in chosen for t in view.tables])

    def readiness(self) -> dict[str, Any]:
        """Each view's position and fault (None if it is keeping up), and the log's end."""
        self._refresh_stuck()
        positions = self.positions()
        return {
            "head": self.app.recorder.max_notification_id() or 0,
            "views": [
                {
                    "name": view.name,
                    "position": positions[view.name],
                    "fault": self.stuck.get(view.name),
                }
                for view in self.views
            ],
        }
