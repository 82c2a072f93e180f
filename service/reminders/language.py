"""Client-facing words in the clinic's language: Babel catalogs and locale-aware times.

The catalogs are service/reminders/locales/<language>/LC_MESSAGES/messages.po, compiled
to the .mo files beside them (`make translations`; a test checks they are up to date).
Messages built outside a request take their words from `words(language)`; the client's
pages read the same catalogs through Flask-Babel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import parse_pattern
from babel.support import Translations

from service.domain.clinic import Clinic
from service.domain.languages import DEFAULT_LANGUAGE, LANGUAGES

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"


@cache
def catalog(language: str) -> Translations:
    """The language's compiled catalog (English, Regimen's own words, for any other)."""
    chosen = language if language in LANGUAGES else DEFAULT_LANGUAGE
    found = Translations.load(str(LOCALES), [chosen], DOMAIN)
    if not isinstance(found, Translations):  # a checkout whose .mo files were deleted
        raise FileNotFoundError(f"no compiled {chosen} catalog in {LOCALES}: make translations")
    return found


def words(language: str) -> Callable[[str], str]:
    """The language's gettext: `_ = words("fr")`, then `_("Hello {name},")`."""
    return catalog(language).gettext


def plural_words(language: str) -> Callable[[str, str, int], str]:
    """The language's ngettext: the wording for a count."""
    return catalog(language).ngettext


@cache
def _locale(language: str) -> Locale:
    """The language's Babel locale, parsed once: `format_datetime` parses it (and looks its
    data up) anew at every call, which cost more than the formatting itself."""
    return Locale.parse(language)


def local_format(local: datetime, pattern: str, language: str) -> str:
    """`local` by the CLDR `pattern` in the language's words: `format_datetime`'s result
    for a datetime already in its zone, with the locale parsed once."""
    return parse_pattern(pattern).apply(local, _locale(language))


def long_when(start: datetime, zone: str, language: str) -> str:
    """'Monday 9 March 2026 at 10:00', 'lundi 9 mars 2026 à 10:00', in `zone`."""
    local = start.astimezone(ZoneInfo(zone))
    # Translators: a Unicode (CLDR) date pattern; quote literal words: 'at'
    _ = words(language)
    pattern = _("EEEE d MMMM y 'at' HH:mm")
    return local_format(local, pattern, language)


def short_when(start: datetime, zone: str, language: str) -> str:
    """'Mon 9 Mar 10:00', 'lun. 9 mars 10:00': a subject line's or a text message's."""
    local = start.astimezone(ZoneInfo(zone))
    # Translators: a Unicode (CLDR) date pattern, short (subject lines, text messages)
    _ = words(language)
    pattern = _("EEE d MMM HH:mm")
    return local_format(local, pattern, language)


def short_day(start: datetime, zone: str, language: str) -> str:
    """'Mon 9 Mar', 'lun. 9 mars'."""
    local = start.astimezone(ZoneInfo(zone))
    # Translators: a Unicode (CLDR) date pattern, a short day
    _ = words(language)
    return local_format(local, _("EEE d MMM"), language)


def clinic_name(name: str, language: str) -> str:
    """The clinic's name in a message; in the clinic's language when it has none yet."""
    _ = words(language)
    return name or _("the clinic")


def clinic_language(clinic: Clinic | None) -> str:
    """What clients read: the clinic's language, the default one until the clinic is set up."""
    return clinic.language if clinic is not None else DEFAULT_LANGUAGE


def named_clinic(clinic: Clinic | None) -> str:
    """The clinic's name in a message, whether or not the clinic is set up yet."""
    return clinic_name(clinic.name if clinic else "", clinic_language(clinic))
