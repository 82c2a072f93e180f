"""The browser sessions' table, on every backend: found while live, gone when ended."""

from __future__ import annotations

from datetime import timedelta

from service.adapters.browser_sessions import TABLE, BrowserSessions, has_ended, id_hash
from service.application import Regimen
from tests.fakes import FixedClock


def test_a_started_session_is_found_by_its_id_and_kept_under_its_hash(regimen: Regimen) -> None:
    sessions, now = BrowserSessions.of(regimen), FixedClock().now
    session_id = sessions.start("user-1", "csrf-1", now)
    found = sessions.find(session_id, now)
    assert found is not None and (found.user_id, found.csrf_token) == ("user-1", "csrf-1")
    assert found.created_at == now and found.expires_at == now + timedelta(hours=12)
    rows = sessions.recorder.query(f"SELECT id_hash FROM {TABLE}")
    assert rows == [{"id_hash": id_hash(session_id)}]


def test_an_ended_session_is_not_found_and_its_row_goes(regimen: Regimen) -> None:
    sessions, clock = BrowserSessions.of(regimen), FixedClock()
    session_id = sessions.start("user-1", "csrf-1", clock.now)
    assert sessions.find(session_id, clock.advance(minutes=30)) is None
    assert sessions.recorder.query(f"SELECT id_hash FROM {TABLE}") == []


def test_activity_moves_the_idle_limit_but_not_the_absolute_one(regimen: Regimen) -> None:
    sessions, clock = BrowserSessions.of(regimen), FixedClock()
    session_id = sessions.start("user-1", "csrf-1", clock.now)
    for _ in range(35):  # every twenty minutes for 11 hours 40 minutes
        found = sessions.find(session_id, clock.advance(minutes=20))
        assert found is not None
        sessions.touch(session_id, found, clock.now)
    assert sessions.find(session_id, clock.advance(minutes=19)) is not None
    assert sessions.find(session_id, clock.advance(minutes=1)) is None  # twelve hours


def test_signing_in_clears_every_ended_session(regimen: Regimen) -> None:
    sessions, clock = BrowserSessions.of(regimen), FixedClock()
    sessions.start("user-1", "csrf-1", clock.now)
    sessions.start("user-2", "csrf-2", clock.now)
    sessions.start("user-3", "csrf-3", clock.advance(hours=1))
    assert len(sessions.recorder.query(f"SELECT id_hash FROM {TABLE}")) == 1


def test_ending_a_session_forgets_it(regimen: Regimen) -> None:
    sessions, now = BrowserSessions.of(regimen), FixedClock().now
    session_id = sessions.start("user-1", "csrf-1", now)
    sessions.end(session_id)
    assert sessions.find(session_id, now) is None


def test_a_session_ends_at_thirty_idle_minutes_or_twelve_hours() -> None:
    start = FixedClock().now
    assert not has_ended(start, start, start + timedelta(minutes=29, seconds=59))
    assert has_ended(start, start, start + timedelta(minutes=30))
    late = start + timedelta(hours=11, minutes=59)
    assert not has_ended(start, late, late)
    assert has_ended(start, late, start + timedelta(hours=12))
