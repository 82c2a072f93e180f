"""The audit use cases the application composes: sealed storage, replay, access logging."""

from __future__ import annotations

from service.audit.access_log import AccessLogging
from service.audit.replay import Replay


class AuditTrail(AccessLogging, Replay):
    """Sealed storage, verification, history and as-of replay, the feed, the access log."""
