"""Settings can be logged: keys and passwords never show."""

from __future__ import annotations

from service.config import Settings


def test_keys_and_passwords_are_masked_when_settings_are_shown() -> None:
    settings = Settings(
        database_url="postgresql://regimen:db-secret@db.internal:5432/regimen?schema=clinic",
        smtp_url="smtp://mailer:smtp-secret@mail.internal:587",
        cipher_key="cipher-secret",
        secret_key="cookie-secret",
    )
    shown = repr(settings)
    for secret in ("db-secret", "smtp-secret", "cipher-secret", "cookie-secret"):
        assert secret not in shown
    assert "postgresql://regimen:***@db.internal:5432/regimen?schema=clinic" in shown
    assert "smtp://mailer:***@mail.internal:587" in shown
    assert "cipher_key='***'" in shown and "booking_horizon_days=0" in shown


def test_settings_without_secrets_show_as_they_are() -> None:
    shown = repr(Settings(database_url="sqlite:///var/regimen.db"))
    assert "database_url='sqlite:///var/regimen.db'" in shown
    assert "cipher_key=''" in shown
