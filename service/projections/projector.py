"""Keeping views up to date: pull notifications after each view's position, exactly once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from service.projections.recorders import Statement, ViewRecorder, view_recorder_for
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
    (recreated from `view.tables`); a table it keeps, such as the outbox, keeps them."""
    emptied = {statement.split()[-1] for statement in view.clear}
    names = [
        statement.split("IF NOT EXISTS ", 1)[1].split()[0]
        for statement in view.tables
        if statement.startswith("CREATE INDEX")
        and statement.split(" ON ", 1)[1].split()[0] in emptied
    ]
    return [f"DROP INDEX IF EXISTS {name}" for name in names]


class Projector:
    """Brings every view up to the end of the log; safe to run in many processes at once.

    Each batch is written with its tracking positions in one transaction. If
    another process wrote the same batch first, the tracking insert fails, the
    transaction rolls back, and this process re-reads the positions and goes on.
    """

    def __init__(self, app: Any, views: Sequence[View] = ALL_VIEWS, batch: int = BATCH) -> None:
        self.app = app
        self.views = tuple(views)
        self.batch = batch
        self.recorder: ViewRecorder = view_recorder_for(app)
        self.recorder.create_view_tables(
            [*VERSIONS_TABLE, *(t for view in self.views for t in view.tables)]
        )
        self._upgrade_changed_views()

    def _upgrade_changed_views(self) -> None:
        """Drop and recreate (to be rebuilt from zero) any view whose table layout changed."""
        for view in self.views:
            rebuild = (*view.drop, *view.tables)
            if self.recorder.upgrade(self.tracking_name(view), view.name, view.version, rebuild):
                LOG.info("view %s is now version %s: rebuilding it", view.name, view.version)

    def tracking_name(self, view: View) -> str:
        """The key a view's position is tracked under."""
        return f"{self.app.name}/{view.name}"

    def positions(self) -> dict[str, int]:
        """How far each view has processed the log."""
        return {
            view.name: self.recorder.max_tracking_id(self.tracking_name(view)) or 0
            for view in self.views
        }

    def catch_up(self, progress: Progress | None = None) -> int:
        """Process every notification the views have not; returns how many were read."""
        processed = 0
        while True:
            positions = self.positions()
            start = min(positions.values())
            try:
                read = self._write_batch(start, positions)
            except IntegrityError:
                LOG.debug("another process wrote the batch after %s; moving on", start)
                continue
            if not read:
                return processed
            processed += read
            if progress:
                progress(read)

    def _write_batch(self, start: int, positions: dict[str, int]) -> int:
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
                statements.extend(self._statements(page, positions))
                read += len(page)
                last = page[-1].id
            if len(page) < limit:
                break
        if read:
            trackings = [
                Tracking(self.tracking_name(view), last)
                for view in self.views
                if positions[view.name] < last
            ]
            self.recorder.write(statements, trackings)
        return read

    def _statements(
        self, notifications: Sequence[Any], positions: dict[str, int]
    ) -> list[Statement]:
        """What the notifications write to the views that have not processed them."""
        events = [(n.id, self.app.mapper.to_domain_event(n)) for n in notifications]
        writes: list[Write] = []
        for view in self.views:
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
        batch, self.batch = self.batch, max(self.batch, REBUILD_BATCH)
        try:
            return self.catch_up(progress)
        finally:
            self.batch = batch
            self.recorder.create_view_tables([t for view in chosen for t in view.tables])
