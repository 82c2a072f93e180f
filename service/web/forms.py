"""Reading form fields: each problem is kept by field name, to be shown beside that field.

The problems are in the page's language: English on staff pages, the clinic's on a client's
(service.web.client_language); the words are in the client catalogs (babel.cfg)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from uuid import UUID

from flask_babel import gettext as _

from service.domain.email_address import EXAMPLE, email_address, email_problem
from service.domain.errors import ClinicNotSetUp, DomainError, InvalidValue
from service.domain.phone_number import example_for, phone_number, phone_problem
from service.domain.text import unsafe_character
from service.domain.zones import known_zones

CLINIC_NOT_SET_UP = "The clinic is not set up yet. Ask an administrator to set up the clinic."


class FormErrors(dict[str, str]):
    """Field name -> what is wrong with it, for the person filling the form in."""


class Form:
    """A submitted form, read field by field; problems are collected, not raised one by one."""

    def __init__(self, data: Mapping[str, str]) -> None:
        self.data = data
        self.errors = FormErrors()

    def text(
        self, name: str, *, required: bool = False, max_length: int = 200, multiline: bool = False
    ) -> str:
        """A trimmed text field: one line of printable text unless `multiline` (notes)."""
        value = (self.data.get(name) or "").strip()
        unsafe = unsafe_character(value, multiline=multiline)
        if required and not value:
            self.errors[name] = _("Fill this in.")
        elif len(value) > max_length:
            self.errors[name] = _("Use at most %(count)s characters.", count=max_length)
        elif unsafe:
            self.errors[name] = f"{unsafe[0].upper()}{unsafe[1:]}."
        return value

    def email(self, name: str) -> str:
        """An optional email address, in its normal form (service.domain.email_address)."""
        value = self.text(name, max_length=254)
        if not value or name in self.errors:
            return value
        problem = email_problem(value)
        if problem is not None:
            self.errors[name] = (
                f"This {problem.rstrip('.')}. Enter an address like {EXAMPLE}, or leave it empty."
            )
            return value
        return email_address(name, value)

    def phone(self, name: str, region: str | None) -> str:
        """An optional phone number in E.164 (service.domain.phone_number); one without a
        country code is read as a number of `region`, the clinic's country."""
        value = self.text(name, max_length=40)
        problem = phone_problem(value, region) if value and name not in self.errors else None
        if problem is not None:
            self.errors[name] = (
                f"This {problem}. Enter a number like {example_for(region)}, or leave it empty."
            )
        if not value or name in self.errors:
            return value
        return phone_number(name, value, region)

    def zone(self, name: str) -> str:
        """An IANA time-zone name."""
        value = self.text(name, required=True)
        if value and name not in self.errors and value not in known_zones():
            self.errors[name] = "Enter a time zone such as Europe/London (an IANA name)."
        return value

    def day(self, name: str) -> date | None:
        """A date from a date input (YYYY-MM-DD)."""
        value = self.text(name, required=True)
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            self.errors[name] = _("Enter a date like 2026-03-16.")
            return None

    def clock(self, name: str) -> time | None:
        """A time of day from a time input (HH:MM)."""
        value = self.text(name, required=True)
        try:
            return time.fromisoformat(value).replace(second=0, microsecond=0) if value else None
        except ValueError:
            self.errors[name] = _("Enter a time like 10:00.")
            return None

    def local_start(self, day_field: str, time_field: str) -> datetime | None:
        """A local wall time from a date field and a time field."""
        day, clock = self.day(day_field), self.clock(time_field)
        if day is None or clock is None:
            return None
        if not 2000 <= day.year <= 2100:
            self.errors[day_field] = _("Enter a year between 2000 and 2100.")
            return None
        return datetime.combine(day, clock)

    def uuid(self, name: str, *, required: bool = False) -> UUID | None:
        """An id from a select; empty means none chosen."""
        value = self.text(name, required=required)
        try:
            return UUID(value) if value else None
        except ValueError:
            self.errors[name] = _("Choose one from the list.")
            return None

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        """One of a fixed set of values."""
        value = self.text(name) or default
        if value not in choices:
            self.errors[name] = _("Choose one of: %(choices)s.", choices=", ".join(choices))
            return default
        return value

    def number(self, name: str, low: int, high: int, default: int) -> int:
        """A whole number in a range."""
        value = self.text(name)
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            self.errors[name] = f"Enter a whole number from {low} to {high}."
            return default
        return number

    @property
    def ok(self) -> bool:
        """Whether every field was readable."""
        return not self.errors


def problem_text(error: DomainError) -> str:
    """A domain error as one sentence for the desk, capitalised (the API's hints left out)."""
    if isinstance(error, ClinicNotSetUp):
        return CLINIC_NOT_SET_UP
    text = str(error).strip() or "That could not be done."
    if isinstance(error, InvalidValue) and not text.endswith("."):
        text += "."
    return text[0].upper() + text[1:]
