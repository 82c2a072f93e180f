"""The scheduler process: an APScheduler ticker that runs the jobs only while it leads."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from service.adapters.leader import LeaderLock
from service.scheduler.jobs import Job, JobOutcome

log = logging.getLogger(__name__)


class SchedulerRunner:
    """Runs the jobs on a BackgroundScheduler while holding the leader lock; stands by otherwise."""

    def __init__(
        self,
        jobs: Iterable[Job],
        lock: LeaderLock,
        clock: Callable[[], datetime],
        poll_seconds: float = 1.0,
        while_leading: Callable[[datetime], object] | None = None,
    ) -> None:
        self.jobs = tuple(jobs)
        if len(set(ids(self.jobs))) != len(self.jobs):
            raise ValueError(f"job ids must be unique: {ids(self.jobs)}")
        self.lock = lock
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.while_leading = while_leading  # called at each round this process leads
        self._scheduler: BackgroundScheduler | None = None
        self._standing_by = False

    @property
    def leading(self) -> bool:
        """Whether the jobs are scheduled in this process right now."""
        return self._scheduler is not None

    @property
    def job_ids(self) -> list[str]:
        """The ids of the jobs scheduled in this process (none while standing by)."""
        return [] if self._scheduler is None else [j.id for j in self._scheduler.get_jobs()]

    def run_once(self, now: datetime) -> list[JobOutcome]:
        """Run every job once, now, in this thread; a failing job does not stop the others."""
        return [self._run(job, now) for job in self.jobs]

    def poll(self) -> bool:
        """One election round: take or confirm the lock, start or stop the jobs; True if leading."""
        if self.lock.try_acquire():
            if self._scheduler is None:
                self._lead()
            self._report_leading()
            return True
        if self._scheduler is not None:
            log.warning("scheduler: lost the leadership of %s", self.lock)
            self._stop_jobs()
        if not self._standing_by:
            log.info("scheduler: standing by")
            self._standing_by = True
        return False

    def run_forever(self, stop: threading.Event) -> None:
        """Lead or stand by until `stop` is set, then stop the jobs and release the lock."""
        try:
            while not stop.is_set():
                self.poll()
                stop.wait(self.poll_seconds)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the jobs (waiting for running ones) and only then release the lock."""
        self._stop_jobs()
        self.lock.release()
        self._standing_by = False

    def _lead(self) -> None:
        scheduler = BackgroundScheduler(timezone=UTC)
        # The real clock on purpose: APScheduler keeps its own time; jobs get `self.clock()`.
        started = datetime.now(UTC)
        for job in self.jobs:
            scheduler.add_job(
                self._run,
                IntervalTrigger(seconds=job.every_seconds, timezone=UTC),
                args=(job,),
                id=job.id,
                name=job.id,
                replace_existing=True,
                # APScheduler drops a run more than 1 s late by default; ours are idempotent.
                misfire_grace_time=job.every_seconds,
                coalesce=True,
                max_instances=1,
                # A new leader catches up at once instead of waiting a whole interval.
                next_run_time=started,
            )
        log.info("scheduler: leader for %s (jobs: %s)", self.lock, ", ".join(ids(self.jobs)))
        scheduler.start()
        self._scheduler = scheduler
        self._standing_by = False

    def _report_leading(self) -> None:
        if self.while_leading is None:
            return
        try:
            self.while_leading(self.clock())
        except Exception:  # the report is for operators; the jobs go on without it
            log.exception("scheduler: could not record the leadership")

    def _stop_jobs(self) -> None:
        if self._scheduler is not None:
            scheduler, self._scheduler = self._scheduler, None
            scheduler.shutdown(wait=True)

    def _run(self, job: Job, now: datetime | None = None) -> JobOutcome:
        when = self.clock() if now is None else now
        try:
            result = job.run(when)
        except Exception as error:
            log.exception("scheduler: job %s failed at %s", job.id, when.isoformat())
            return JobOutcome(job.id, error=error)
        log.info(
            "scheduler: job %s ran at %s",
            job.id,
            when.isoformat(),
            extra={"job": job.id, "at": when.isoformat(), **counts(result)},
        )
        return JobOutcome(job.id, result=result)


def counts(result: object) -> dict[str, int]:
    """The numbers a job's run returned, to log: a count (`count`), or a report's whole-number
    fields; nothing else (a report's error texts may quote a client's address)."""
    if isinstance(result, bool):
        return {}
    if isinstance(result, int):
        return {"count": result}
    if is_dataclass(result) and not isinstance(result, type):
        return {
            f.name: value
            for f in fields(result)
            if isinstance(value := getattr(result, f.name), int) and not isinstance(value, bool)
        }
    return {}


def ids(jobs: Iterable[Job]) -> list[str]:
    """The ids of these jobs, in order."""
    return [job.id for job in jobs]


def install_signal_handlers(stop: threading.Event) -> None:
    """Set `stop` on SIGTERM and SIGINT (call from the main thread)."""

    def request_stop(signum: int, frame: FrameType | None) -> None:
        log.info("scheduler: %s received, stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
