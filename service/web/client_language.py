"""The clients' pages speak the clinic's language (its `language` setting); staff pages
stay English. Flask-Babel reads the same catalogs as the messages (service/reminders)."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel, get_locale

from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.languages import DEFAULT_LANGUAGE
from service.http.context import regimen
from service.reminders.language import DOMAIN, LOCALES, clinic_language

CLIENT_PATHS = ("/c/", "/w/", "/waitlist/claim/", "/waitlist/join/")  # opened by a client's link


def page_language() -> str:
    """The clinic's language on a client's page; English on the desk's."""
    if not request.path.startswith(CLIENT_PATHS):
        return DEFAULT_LANGUAGE
    clinic = regimen().find(Clinic, CLINIC_ID)
    return clinic_language(clinic)


def current_language() -> str:
    """The language of the page being rendered."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def configure_languages(app: Flask) -> None:
    """Translate the clients' pages: `_()` and `{% trans %}` in their templates."""
    Babel(
        app,
        locale_selector=page_language,
        default_translation_directories=str(LOCALES),
        default_domain=DOMAIN,
    )
    app.jinja_env.globals["page_language"] = current_language
