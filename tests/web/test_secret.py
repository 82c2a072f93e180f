"""The session key: configured, or shared through a file beside the SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.adapters.secret_key import session_secret, shared_key
from service.config import ConfigError, Settings

KEY = "k" * 40


def test_a_configured_key_is_used_as_it_is() -> None:
    assert session_secret(Settings(database_url="memory://", secret_key=KEY)) == KEY


def test_a_short_configured_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least 32"):
        session_secret(Settings(database_url="memory://", secret_key="short"))


def test_the_key_is_read_from_the_environment() -> None:
    assert Settings.from_env({"REGIMEN_SECRET_KEY": KEY}).secret_key == KEY


def test_without_a_key_every_process_on_one_sqlite_database_shares_one(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'regimen.db'}")
    first, second = session_secret(settings), session_secret(settings)
    assert first == second and len(first) == 64
    key_file = tmp_path / "regimen.db.secret-key"
    assert key_file.read_text() == first
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_a_file_written_by_another_process_first_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "key"
    path.write_text("x" * 64)
    assert shared_key(path) == "x" * 64
    assert [p.name for p in tmp_path.iterdir()] == ["key"]  # no temporary file left behind


def test_an_empty_key_file_is_reported_not_used(tmp_path: Path) -> None:
    path = tmp_path / "key"
    path.write_text("")
    with pytest.raises(ConfigError, match="no usable key"):
        shared_key(path)


def test_an_in_memory_database_gets_a_key_of_its_own() -> None:
    settings = Settings(database_url="memory://")
    assert session_secret(settings) != session_secret(settings)
