"""A projection follower that stops mid-transaction, holding it open, until it is killed.

Run as: python -m tests.system.projection_child DATABASE_URL BLOCK_AFTER BATCH
It catches up with a test view that, on its BLOCK_AFTER-th event, prints
"blocking" and waits forever inside the batch's open transaction.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from service.bootstrap import build_regimen
from service.config import Settings
from service.projections.projector import Projector
from service.projections.views import ALL_VIEWS, View


def main() -> None:
    database_url, block_after, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seen = 0

    def block(event: Any, position: int) -> list[tuple[str, tuple[Any, ...]]]:
        nonlocal seen
        seen += 1
        if seen == block_after:
            print("blocking", flush=True)
            threading.Event().wait()  # until SIGKILL
        return []

    blocker = View(name="blocker", tables=(), clear=(), handlers={}, every_event=block)
    app = build_regimen(Settings(database_url=database_url))
    Projector(app, views=(*ALL_VIEWS, blocker), batch=batch).catch_up()


if __name__ == "__main__":
    main()
