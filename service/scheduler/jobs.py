"""A job the scheduler runs, and the outcome of one run (the runner times them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Job:
    """A recurring piece of idempotent work: `run(now)` every `every_seconds`."""

    id: str
    run: Callable[[datetime], object]
    every_seconds: int

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a job needs an id")
        if self.every_seconds < 1:
            raise ValueError(f"job {self.id!r} must run at most once a second")


@dataclass(frozen=True)
class JobOutcome:
    """What one run of a job returned, or the error it raised."""

    job_id: str
    result: object = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Whether the job finished without raising."""
        return self.error is None
