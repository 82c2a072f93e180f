"""What needs the front desk's attention: rolling series the scheduler could not extend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from service.projections.view import instant

# How long a gap left while the scheduler was not running stays on the desk's list.
PASSED_SHOWN_DAYS = 14
NEEDS_ATTENTION = (
    "SELECT p.plan_id, p.client_id, p.intention, p.focus_areas, p.blocked, p.blocked_since,"
    " p.passed_unbooked, p.passed_at,"
    " c.name AS client_name, t.name AS therapist_name FROM rv_plans p"
    " LEFT JOIN rv_directory c ON c.kind = 'client' AND c.id = p.client_id"
    " LEFT JOIN rv_directory t ON t.kind = 'therapist' AND t.id = p.therapist_id"
    " WHERE p.status IN ('proposed', 'agreed')"
    " AND (p.blocked_since IS NOT NULL OR p.passed_at >= %s) {mine}"
    " ORDER BY COALESCE(p.blocked_since, p.passed_at), p.plan_id LIMIT %s"
)


def needs_attention(
    recorder: Any, now: datetime, limit: int = 100, therapist_id: str | None = None
) -> list[dict[str, Any]]:
    """Open plans whose series is blocked, or that had occurrences pass unbooked lately,
    oldest first (blocked ones stay until booked or unblocked); one therapist's, if named."""
    since = instant((now - timedelta(days=PASSED_SHOWN_DAYS)).astimezone(UTC))
    if therapist_id is None:
        return list(recorder.query(NEEDS_ATTENTION.format(mine=""), [since, limit]))
    mine = NEEDS_ATTENTION.format(mine="AND p.therapist_id = %s")
    return list(recorder.query(mine, [since, therapist_id, limit]))
