"""The metrics `/metrics` serves (service.api.metrics) in Prometheus's text format.

Across gunicorn's workers the counters and histograms live in prometheus-client's
multiprocess mode: `regimen serve` points PROMETHEUS_MULTIPROC_DIR at a fresh folder
before any worker starts (`prepare_multiprocess_dir`), each worker writes its values
there, any worker answering a scrape sums them all, and gunicorn's `child_exit` hook
retires a dead worker's live gauges (`worker_exited`). prometheus-client decides on that
mode when it is first imported, so it is imported here only inside functions, which run
after the folder is set; never at the top of a module.

Read at each scrape, the same from any worker: the event store's position, each view's
position, lag and fault, and the reminders by status with the age of the oldest due one.
Requests are counted by method, route template and status (never the raw path).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from service.adapters.leader_board import LeaderBoard
from service.adapters.verifications import Verifications
from service.http.context import now, reads, reminder_reads
from service.projections.queries import ReadModel
from service.projections.reminder_queries import ReminderQueries
from service.projections.views import instant

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# The requests that book: a session of a plan, a series, a visit (API and pages).
BOOKING_ENDPOINTS = frozenset(
    {
        "plans.SessionsView",
        "series.SeriesView",
        "visits.VisitsView",
        "web.confirm_series",
        "web.book_visit",
    }
)


def prepare_multiprocess_dir() -> Path:
    """Point PROMETHEUS_MULTIPROC_DIR at an empty folder (the one given, emptied of an
    earlier run's files, or a new temporary one); call before any worker starts."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
    else:
        folder = Path(tempfile.mkdtemp(prefix="regimen-metrics-"))
        os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def remove_multiprocess_dir(folder: Path) -> None:
    """Remove the folder `prepare_multiprocess_dir` made (one given is left in place)."""
    if folder.name.startswith("regimen-metrics-") and folder.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(folder, ignore_errors=True)


def worker_exited(pid: int) -> None:
    """gunicorn's child_exit hook: the dead worker's live gauges no longer count."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess  # see the module's docstring

        multiprocess.mark_process_dead(pid)


class Metrics:
    """This process's request metrics (in the shared folder in multiprocess mode)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram  # see the docstring

        self.registry = CollectorRegistry()
        self.requests = Counter(
            "regimen_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "regimen_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.bookings = Counter(
            "regimen_bookings",
            "Booking requests (a plan's session, a series, a visit) by outcome: booked,"
            " conflict (409: a clash or a concurrent change) or refused (any other error)",
            ["outcome"],
            registry=self.registry,
        )

    def observe(
        self, method: str, route: str, endpoint: str | None, status: int, seconds: float
    ) -> None:
        """Count one answered request."""
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)
        if method == "POST" and endpoint in BOOKING_ENDPOINTS:
            self.bookings.labels(booking_outcome(status)).inc()

    def exposition(self, state: Callable[[], Iterator[Any]]) -> bytes:
        """Every worker's request metrics (or this process's) and the state read now."""
        from prometheus_client import CollectorRegistry, generate_latest, multiprocess

        if os.environ.get(MULTIPROC_ENV):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = self.registry
        text = generate_latest(registry)
        scraped = CollectorRegistry()
        scraped.register(_StateCollector(state))
        return text + generate_latest(scraped)


def booking_outcome(status: int) -> str:
    """booked (2xx, or a page's redirect after booking), conflict (409) or refused."""
    if 200 <= status < 400:
        return "booked"
    return "conflict" if status == 409 else "refused"


class _StateCollector:
    """Families read from the database at scrape time."""

    def __init__(self, state: Callable[[], Iterator[Any]]) -> None:
        self.state = state

    def collect(self) -> Iterator[Any]:
        """The families `state` yields."""
        return self.state()


def state_families(
    model: ReadModel, reminders: ReminderQueries, board: LeaderBoard, at: datetime
) -> Iterator[Any]:
    """The event store's position, each view's position, lag and fault, the reminders by
    status with the age of the oldest due one, and the scheduler's leader."""
    yield from view_families(model)
    yield from reminder_families(reminders, at)
    yield from leader_families(board, at)


def view_families(model: ReadModel) -> Iterator[Any]:
    """The event store's position, and each view's position, lag and fault."""
    from prometheus_client.core import GaugeMetricFamily

    readiness = model.projector.readiness()
    head = readiness["head"]
    yield GaugeMetricFamily(
        "regimen_event_store_position", "Position of the last stored event", value=head
    )
    position = GaugeMetricFamily(
        "regimen_view_position", "Last event position each view applied", labels=["view"]
    )
    lag = GaugeMetricFamily(
        "regimen_view_lag_events", "Events stored that each view has not applied", labels=["view"]
    )
    stuck = GaugeMetricFamily(
        "regimen_view_stuck",
        "1 while a view is stopped at an event it cannot apply",
        labels=["view"],
    )
    for view in readiness["views"]:
        position.add_metric([view["name"]], view["position"])
        lag.add_metric([view["name"]], max(0, head - view["position"]))
        stuck.add_metric([view["name"]], 1 if view["fault"] else 0)
    yield from (position, lag, stuck)


def reminder_families(reminders: ReminderQueries, at: datetime) -> Iterator[Any]:
    """The reminders by status, how many are due, and how long the oldest due one waited."""
    from prometheus_client.core import GaugeMetricFamily

    overview = reminders.overview(instant(at))
    by_status = GaugeMetricFamily(
        "regimen_reminders",
        "Reminders by status (scheduled, sent, failed, cancelled)",
        labels=["status"],
    )
    for status, row in overview.items():
        by_status.add_metric([status], row["reminders"])
    yield by_status
    scheduled = overview["scheduled"]
    yield GaugeMetricFamily(
        "regimen_reminders_due",
        "Scheduled reminders already due (not yet sent)",
        value=scheduled["due"],
    )
    oldest = scheduled["oldest_due"]
    age = 0.0
    if oldest and scheduled["due"]:
        age = max(0.0, (at - datetime.fromisoformat(oldest.replace("Z", "+00:00"))).total_seconds())
    yield GaugeMetricFamily(
        "regimen_reminders_oldest_due_age_seconds",
        "How long the oldest due, unsent reminder has waited (0 when none is due)",
        value=age,
    )


def leader_families(board: LeaderBoard, at: datetime) -> Iterator[Any]:
    """The node the scheduler's leader last recorded, and how long ago it did."""
    from prometheus_client.core import GaugeMetricFamily

    recorded = board.leader()
    leader = GaugeMetricFamily(
        "regimen_scheduler_leader",
        "1 for the node (host:pid) that last recorded leading the scheduler",
        labels=["node"],
    )
    if recorded is None:
        yield leader
        return
    node, since, seen_at = recorded
    leader.add_metric([node], 1)
    yield leader
    yield GaugeMetricFamily(
        "regimen_scheduler_leader_since_seconds",
        "When the leader began leading (Unix time)",
        value=since.timestamp(),
    )
    yield GaugeMetricFamily(
        "regimen_scheduler_leader_seen_age_seconds",
        "How long ago the leader last recorded leading (it does every 15 s while it leads)",
        value=max(0.0, (at - seen_at).total_seconds()),
    )


def verification_families(verifications: Verifications) -> Iterator[Any]:
    """What the last verification of the seals found, and when (nothing before the first)."""
    from prometheus_client.core import GaugeMetricFamily

    last = verifications.last()
    if last is None:
        return
    yield GaugeMetricFamily(
        "regimen_seal_verification_ok",
        "1 if the last verification of the seals found nothing wrong (regimen audit verify)",
        value=1 if last.ok else 0,
    )
    yield GaugeMetricFamily(
        "regimen_seal_verification_problems",
        "Problems the last verification found",
        value=last.problems,
    )
    yield GaugeMetricFamily(
        "regimen_seal_verification_events",
        "Events the last verification checked",
        value=last.events,
    )
    yield GaugeMetricFamily(
        "regimen_seal_verification_head_position",
        "The log position the last verification reached",
        value=last.head_position,
    )
    yield GaugeMetricFamily(
        "regimen_seal_verification_timestamp_seconds",
        "When the last verification finished (Unix time)",
        value=last.finished_at.timestamp(),
    )


def install(app: Flask) -> None:
    """Count every request in this process (the API's `/metrics` serves the counts)."""
    app.extensions["regimen.metrics"] = Metrics()
    app.extensions["regimen.leader_board"] = LeaderBoard.of(app.extensions["regimen"])
    app.extensions["regimen.verifications"] = Verifications.of(app.extensions["regimen"])


def exposition() -> bytes:
    """The whole scrape for the current request's app: requests and the state read now."""
    metrics: Metrics = current_app.extensions["regimen.metrics"]
    model, at = reads(), now()
    board: LeaderBoard = current_app.extensions["regimen.leader_board"]
    verifications: Verifications = current_app.extensions["regimen.verifications"]

    def families() -> Iterator[Any]:
        yield from state_families(model, reminder_reads(), board, at)
        yield from verification_families(verifications)

    return metrics.exposition(families)
