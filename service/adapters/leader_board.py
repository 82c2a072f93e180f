"""Which scheduler leads, as the leader itself records it: a row it refreshes while it leads,
so that any API node can tell (in `/metrics`) who leads, since when, and when it last said so.

The leader lock (service.adapters.leader) decides who leads; this table only reports it. A
leader that dies stops refreshing its row, and the row's age says so until another takes over.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from service.adapters.kept_tables import KeptTable

TABLE = "regimen_scheduler_leader"
BEAT_EVERY = timedelta(seconds=15)

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    lock TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    since BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
)"""
BEAT = (
    f"INSERT INTO {TABLE} (lock, node, since, seen_at) VALUES ('scheduler', %s, %s, %s)"
    " ON CONFLICT (lock) DO UPDATE SET node = excluded.node,"
    f" since = CASE WHEN {TABLE}.node = excluded.node THEN {TABLE}.since ELSE excluded.since END,"
    " seen_at = excluded.seen_at"
)


class LeaderBoard(KeptTable):
    """The scheduler leader's own record of its leadership."""

    create_statement = CREATE_TABLE

    def __init__(self, recorder: Any) -> None:
        super().__init__(recorder)
        self._last_beat: tuple[str, datetime] | None = None

    def beat(self, node: str, now: datetime) -> bool:
        """Record that `node` leads at `now` (at most every BEAT_EVERY); whether it wrote."""
        if self._last_beat is not None:
            last_node, last_at = self._last_beat
            if last_node == node and now - last_at < BEAT_EVERY:
                return False
        seconds = int(now.timestamp())
        self.recorder.write([(BEAT, (node, seconds, seconds))], ())
        self._last_beat = (node, now)
        return True

    def leader(self) -> tuple[str, datetime, datetime] | None:
        """The node last recorded as leading, since when, and when it last said so."""
        rows = self.recorder.query(f"SELECT node, since, seen_at FROM {TABLE}")
        if not rows:
            return None
        row = rows[0]
        since = datetime.fromtimestamp(int(row["since"]), UTC)
        return str(row["node"]), since, datetime.fromtimestamp(int(row["seen_at"]), UTC)
