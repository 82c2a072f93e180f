"""The scheduler runner runs its jobs only while it leads, and one failing job stops nothing."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from service.reminders.dispatch import DispatchReport
from service.scheduler.jobs import Job
from service.scheduler.runner import SchedulerRunner
from tests.fakes import WAIT_S, FakeLeaderLock, FixedClock, RecordingJob


@pytest.fixture
def lock() -> FakeLeaderLock:
    return FakeLeaderLock()


@pytest.fixture
def reminders() -> RecordingJob:
    return RecordingJob()


@pytest.fixture
def overdue() -> RecordingJob:
    return RecordingJob()


@pytest.fixture
def runner(
    lock: FakeLeaderLock, clock: FixedClock, reminders: RecordingJob, overdue: RecordingJob
) -> Iterator[SchedulerRunner]:
    jobs = [
        Job("dispatch-reminders", reminders, every_seconds=1),
        Job("flag-overdue-sessions", overdue, every_seconds=60),
    ]
    runner = SchedulerRunner(jobs, lock, clock, poll_seconds=0.01)
    yield runner
    runner.close()


def test_a_standby_schedules_nothing(runner: SchedulerRunner, lock: FakeLeaderLock) -> None:
    lock.grant = False

    assert runner.poll() is False
    assert not runner.leading
    assert runner.job_ids == []


def test_the_leader_schedules_every_job_under_its_fixed_id(runner: SchedulerRunner) -> None:
    assert runner.poll() is True

    assert runner.leading
    assert sorted(runner.job_ids) == ["dispatch-reminders", "flag-overdue-sessions"]


def test_a_new_leader_runs_every_job_at_once_with_the_clocks_now(
    runner: SchedulerRunner, clock: FixedClock, reminders: RecordingJob, overdue: RecordingJob
) -> None:
    runner.poll()

    assert reminders.wait_for_calls(1)
    assert overdue.wait_for_calls(1)
    assert reminders.calls[0] == overdue.calls[0] == clock.now


def test_confirming_the_lock_keeps_the_same_schedule(
    runner: SchedulerRunner, reminders: RecordingJob
) -> None:
    runner.poll()
    assert reminders.wait_for_calls(1)

    runner.poll()
    runner.poll()

    assert sorted(runner.job_ids) == ["dispatch-reminders", "flag-overdue-sessions"]


def test_losing_the_lock_stops_the_jobs(
    runner: SchedulerRunner, lock: FakeLeaderLock, reminders: RecordingJob
) -> None:
    runner.poll()
    assert reminders.wait_for_calls(1)

    lock.grant = False

    assert runner.poll() is False
    assert not runner.leading
    assert runner.job_ids == []


def test_a_standby_that_wins_the_lock_later_starts_the_jobs(
    runner: SchedulerRunner, lock: FakeLeaderLock, reminders: RecordingJob
) -> None:
    lock.grant = False
    runner.poll()

    lock.grant = True

    assert runner.poll() is True
    assert reminders.wait_for_calls(1)


def test_closing_stops_the_jobs_and_then_releases_the_lock(
    runner: SchedulerRunner, lock: FakeLeaderLock
) -> None:
    runner.poll()

    runner.close()

    assert not runner.leading
    assert (lock.held, lock.releases) == (False, 1)


def test_run_once_passes_the_given_now_to_every_job(
    runner: SchedulerRunner, reminders: RecordingJob, overdue: RecordingJob
) -> None:
    now = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)

    outcomes = runner.run_once(now)

    assert reminders.calls == [now]
    assert overdue.calls == [now]
    assert [(o.job_id, o.result) for o in outcomes] == [
        ("dispatch-reminders", 1),
        ("flag-overdue-sessions", 1),
    ]


def test_run_once_does_not_schedule_anything(runner: SchedulerRunner, lock: FakeLeaderLock) -> None:
    runner.run_once(datetime(2026, 3, 4, 9, 30, tzinfo=UTC))

    assert not runner.leading
    assert lock.held is False


def test_a_failing_job_does_not_stop_the_others_in_run_once(
    lock: FakeLeaderLock, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    broken, healthy = RecordingJob(fails=True), RecordingJob()
    runner = SchedulerRunner([Job("broken", broken, 60), Job("healthy", healthy, 60)], lock, clock)

    outcomes = runner.run_once(clock.now)

    assert [o.ok for o in outcomes] == [False, True]
    assert isinstance(outcomes[0].error, RuntimeError)
    assert healthy.calls == [clock.now]
    assert "scheduler: job broken failed" in caplog.text


def test_a_failing_scheduled_job_keeps_running_alongside_the_others(
    lock: FakeLeaderLock, clock: FixedClock
) -> None:
    broken, healthy = RecordingJob(fails=True), RecordingJob()
    runner = SchedulerRunner([Job("broken", broken, 1), Job("healthy", healthy, 1)], lock, clock)
    try:
        runner.poll()

        assert broken.wait_for_calls(2)
        assert healthy.wait_for_calls(2)
        assert runner.leading
    finally:
        runner.close()


def test_run_forever_leads_until_stopped_then_releases_the_lock(
    runner: SchedulerRunner, lock: FakeLeaderLock, reminders: RecordingJob
) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=runner.run_forever, args=(stop,))
    thread.start()
    try:
        assert reminders.wait_for_calls(1)
    finally:
        stop.set()
        thread.join(WAIT_S)

    assert not thread.is_alive()
    assert not runner.leading
    assert (lock.held, lock.releases) == (False, 1)


def test_the_log_tells_when_it_leads_and_when_it_stands_by(
    runner: SchedulerRunner, lock: FakeLeaderLock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="service.scheduler.runner")
    lock.grant = False
    runner.poll()
    runner.poll()
    lock.grant = True
    runner.poll()

    messages = [r.getMessage() for r in caplog.records if r.name == "service.scheduler.runner"]
    assert messages.count("scheduler: standing by") == 1
    assert any(m.startswith("scheduler: leader for") for m in messages)


def test_job_ids_must_be_unique(lock: FakeLeaderLock, clock: FixedClock) -> None:
    with pytest.raises(ValueError, match="unique"):
        SchedulerRunner([Job("a", RecordingJob(), 1), Job("a", RecordingJob(), 5)], lock, clock)


def test_a_job_runs_at_most_once_a_second() -> None:
    with pytest.raises(ValueError, match="once a second"):
        Job("too-eager", RecordingJob(), every_seconds=0)


def test_each_run_logs_one_line_with_the_jobs_counts_and_nothing_else(
    lock: FakeLeaderLock, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    report = DispatchReport(sent=3, retried=1, failed=1, errors=["grace@example.org bounced"])
    jobs = [Job("counted", lambda now: 7, 60), Job("dispatch", lambda now: report, 60)]
    caplog.set_level(logging.INFO, logger="service.scheduler.runner")
    SchedulerRunner(jobs, lock, clock).run_once(clock())

    lines = {r.job: r for r in caplog.records if hasattr(r, "job")}  # type: ignore[attr-defined]
    assert lines["counted"].count == 7  # type: ignore[attr-defined]
    dispatch = vars(lines["dispatch"])
    assert (dispatch["sent"], dispatch["retried"], dispatch["failed"]) == (3, 1, 1)
    assert "errors" not in dispatch
    assert "grace@example.org" not in caplog.text


def test_the_leader_reports_each_round_it_leads_and_a_failed_report_stops_nothing(
    lock: FakeLeaderLock, clock: FixedClock, reminders: RecordingJob
) -> None:
    reported: list[datetime] = []

    def report(now: datetime) -> None:
        reported.append(now)
        if len(reported) == 2:
            raise RuntimeError("the database is away")

    runner = SchedulerRunner([Job("reminders", reminders, 60)], lock, clock, while_leading=report)
    try:
        lock.grant = False
        assert not runner.poll()
        lock.grant = True
        assert runner.poll() and runner.poll() and runner.poll()
        assert reported == [clock(), clock(), clock()]
        assert runner.leading
    finally:
        runner.close()
