"""What a verification found: problems, each at a position of the log, and the head reached."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from service.audit.seals import Seal

MAX_PROBLEMS = 100
CHANGED = "changed"
MISSING = "missing"
REORDERED = "reordered"
UNSEALED = "unsealed"
SEAL_ALTERED = "seal-altered"
WRONG_KEY = "wrong-key"
ANCHOR_MISMATCH = "anchor-mismatch"
SNAPSHOT_ALTERED = "snapshot-altered"
MALFORMED = "malformed"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the stored events, at a position of the log."""

    position: int
    kind: str
    detail: str
    aggregate_id: UUID | None = None
    version: int | None = None


@dataclass
class Report:
    """What a verification found: OK, or the problems, first one first."""

    events_checked: int = 0
    seals_checked: int = 0
    head: Seal | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    aggregates: set[UUID] = field(default_factory=set)  # every one with a problem, kept or not

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong."""
        return self.problem_count == 0

    @property
    def first_problem(self) -> Problem | None:
        """The problem at the lowest position."""
        return self.problems[0] if self.problems else None

    def add(self, problem: Problem) -> None:
        """Record a problem (the first MAX_PROBLEMS are kept, all are counted)."""
        self.problem_count += 1
        self.counts[problem.kind] = self.counts.get(problem.kind, 0) + 1
        if problem.aggregate_id is not None:
            self.aggregates.add(problem.aggregate_id)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
