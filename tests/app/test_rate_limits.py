"""Request counts shared by every process: two applications on one database count together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.adapters.rate_limits import Limit, RateLimits
from service.application import Regimen

NOW = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)


def test_two_processes_share_one_count_and_a_new_window_starts_afresh(
    two_processes: tuple[Regimen, Regimen],
) -> None:
    limits = [RateLimits.of(regimen) for regimen in two_processes]
    limit = Limit(hits=5)
    allowed = [limits[n % 2].allow("address:192.0.2.1", limit, NOW) for n in range(8)]
    assert allowed == [True] * 5 + [False] * 3
    assert limits[1].exceeded("address:192.0.2.1", limit, NOW)
    assert not limits[0].exceeded("address:192.0.2.2", limit, NOW)
    later = NOW + timedelta(minutes=1)
    assert not limits[0].exceeded("address:192.0.2.1", limit, later)
    assert limits[1].allow("address:192.0.2.1", limit, later)
