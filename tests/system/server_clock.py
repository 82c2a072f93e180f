"""A served clock moved forward with libfaketime: preloaded into the server, it re-reads its
offset from a file on every clock read."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

LIBFAKETIME = "/usr/lib/*/faketime/libfaketime.so.1"  # Debian's package `faketime`


def faketime_library() -> Path:
    """libfaketime; skipped (locally) or failed (in CI) without it."""
    found = sorted(Path("/").glob(LIBFAKETIME.lstrip("/")))
    if found:
        return found[0]
    missing = f"{LIBFAKETIME} is missing (apt-get install -y faketime)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"tests that move the server's clock must run in CI: {missing}")
    pytest.skip(f"tests that move the server's clock are skipped: {missing}")


class ServerClock:
    """The server's clock: an offset from the real time in the file libfaketime reads."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def environment(self) -> dict[str, str]:
        """The server's environment: libfaketime preloaded, reading this clock's file.

        The monotonic clock is faked too (libfaketime's default): with
        FAKETIME_DONT_FAKE_MONOTONIC=1, libfaketime 0.9.10 makes Python's time.sleep fail
        with EINVAL, and gunicorn sleeps while it starts its workers. Its worker timeout
        compares that clock with a file's faked timestamp, so no worker is ever taken for
        hung when the clock jumps days ahead.
        """
        return {
            "LD_PRELOAD": str(faketime_library()),
            "FAKETIME_TIMESTAMP_FILE": str(self.path),
            "FAKETIME_NO_CACHE": "1",  # read the file at every clock read: moves act at once
        }

    def move_to(self, instant: datetime) -> None:
        """From now on the server's clock reads `instant` (and runs on from it)."""
        offset = round((instant - datetime.now(UTC)).total_seconds())
        fresh = self.path.with_suffix(".new")
        fresh.write_text(f"{offset:+d}\n")
        fresh.replace(self.path)  # whole, never half written, whenever the server reads it
