"""The last verification of the seals (`regimen audit verify`, or the API's /audit/verify),
kept in the database so that `/metrics` on any node can report it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from service.adapters.kept_tables import KeptTable

TABLE = "regimen_seal_verifications"

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    kept TEXT PRIMARY KEY,
    ok INTEGER NOT NULL,
    problems BIGINT NOT NULL,
    events BIGINT NOT NULL,
    head_position BIGINT NOT NULL,
    finished_at BIGINT NOT NULL
)"""
RECORD = (
    f"INSERT INTO {TABLE} (kept, ok, problems, events, head_position, finished_at)"
    " VALUES ('last', %s, %s, %s, %s, %s) ON CONFLICT (kept) DO UPDATE SET ok = excluded.ok,"
    " problems = excluded.problems, events = excluded.events,"
    " head_position = excluded.head_position, finished_at = excluded.finished_at"
)


@dataclass(frozen=True)
class Verification:
    """What one verification of the whole log found."""

    ok: bool
    problems: int
    events: int
    head_position: int
    finished_at: datetime


class Verifications(KeptTable):
    """The last verification of the seals."""

    create_statement = CREATE_TABLE

    def record(self, verification: Verification) -> None:
        """Keep this verification as the last one."""
        row = (
            1 if verification.ok else 0,
            verification.problems,
            verification.events,
            verification.head_position,
            int(verification.finished_at.timestamp()),
        )
        self.recorder.write([(RECORD, row)], ())

    def last(self) -> Verification | None:
        """The last verification kept, or None before the first."""
        rows = self.recorder.query(f"SELECT * FROM {TABLE} WHERE kept = 'last'")
        if not rows:
            return None
        row = rows[0]
        return Verification(
            ok=bool(row["ok"]),
            problems=int(row["problems"]),
            events=int(row["events"]),
            head_position=int(row["head_position"]),
            finished_at=datetime.fromtimestamp(int(row["finished_at"]), UTC),
        )
