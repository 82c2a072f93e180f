"""The languages clients read Regimen in: the clinic chooses one (its `language` setting)."""

from __future__ import annotations

from service.domain.errors import InvalidValue

LANGUAGES = ("en", "fr")  # each has a complete catalog (service/reminders/locales)
DEFAULT_LANGUAGE = "en"


def require_language(language: str) -> None:
    """A language Regimen has a catalog for; InvalidValue naming the ones it has."""
    if language not in LANGUAGES:
        raise InvalidValue(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
