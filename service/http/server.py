"""gunicorn hosting the app: one application per worker, built after the fork."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from service.api.limits import MAX_FIELD_BYTES, MAX_FIELDS
from service.config import Settings
from service.http.app import create_app
from service.http.metrics import prepare_multiprocess_dir, remove_multiprocess_dir, worker_exited
from service.logs import json_formatter


class JsonLogger(Logger):
    """gunicorn's own messages as JSON lines, and no access log of its own: its lines hold
    the raw path and query string (`?q=` searches, calendar-feed secrets). The app logs each
    request instead, by route template (service.http.access)."""

    def setup(self, cfg: Any) -> None:
        """gunicorn's error log, formatted as every other Regimen log line."""
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(json_formatter())

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """Nothing: see the class."""


# Young objects collected every this many allocations (Python's default: 700). Measured in a
# worker booking series: a full collection (~0.3 s, walking the app and every kept aggregate)
# about every 60 bookings, 5 ms a booking on average; with what the worker built at start
# frozen and young collections rarer, none in 60 bookings.
YOUNG_COLLECTION = 10_000


def settle_garbage_collection() -> None:
    """Move what the worker built at start (the app, its modules) out of the collector's
    sight, for good, and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])


def serve(
    host: str, port: int, workers: int, settings: Settings, load: Callable[[], Any] | None = None
) -> None:
    """Serve the app with gunicorn; each worker builds its own application after the fork
    (`load` builds another WSGI app under the same configuration: the benches' baseline)."""
    metrics_dir = prepare_multiprocess_dir()  # before any worker starts (service.http.metrics)

    def child_exit(server: Any, worker: Any) -> None:
        worker_exited(worker.pid)

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("preload_app", False)
            self.cfg.set("accesslog", None)
            self.cfg.set("logger_class", JsonLogger)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("child_exit", child_exit)
            if "control_socket_disable" in self.cfg.settings:  # gunicorn 25.1 and later
                # One fixed socket per user ($HOME/.gunicorn/gunicorn.ctl) would be shared by
                # every server the user runs; Regimen is managed by its service manager.
                self.cfg.set("control_socket_disable", True)
            # Above the app's own limits (service.api.limits), so that the app answers
            # an oversized request with a problem; gunicorn's plain page is left for
            # request lines over 8190 bytes (its maximum) and heads twice the app's limits.
            self.cfg.set("limit_request_line", 8190)
            self.cfg.set("limit_request_fields", 2 * MAX_FIELDS)
            self.cfg.set("limit_request_field_size", 2 * MAX_FIELD_BYTES)

        def load(self) -> Any:
            app = load() if load is not None else create_app(settings)
            settle_garbage_collection()
            return app

    try:
        Server().run()
    finally:
        remove_multiprocess_dir(metrics_dir)
