"""Which phone numbers Regimen accepts, and the one form it keeps them in: E.164.

A number is read with phonenumbers (Google's libphonenumber metadata): written in the
international form (`+44 7700 900102`) it stands on its own; written as dialled inside
the country (`07700 900102`) it is read as a number of the clinic's country, which the
clinic's IANA zone names through the tz database's own table (zone.tab). Both are kept
as `+447700900102`, so the desk finds a client whichever way the number was given and
an SMS gateway gets a number it can dial.

A number must have a possible length for its country; it need not be allocated: the
numbering plans change faster than a release of the metadata, and the numbers set
aside for drama and tests (07700 900xxx) are ones a clinic uses in training.
An extension is refused: E.164 has none, and an SMS cannot reach one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from service.domain.errors import InvalidValue

MAX_LENGTH = 40
INTERNATIONAL_EXAMPLE = "+44 7700 900102"


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO 3166 country code, from tzdata's zone.tab then zone1970.tab.

    zone.tab names one country per zone; zone1970.tab (first country of each zone)
    adds the few zones zone.tab leaves out.
    """
    folder = resources.files("tzdata").joinpath("zoneinfo")
    countries: dict[str, str] = {}
    for table in ("zone1970.tab", "zone.tab"):  # zone.tab's one country wins
        for line in folder.joinpath(table).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                codes, _, zone = line.split("\t")[:3]
                countries[zone] = codes.split(",")[0]
    return countries


@cache
def _country_names() -> dict[str, str]:
    """ISO 3166 code -> the tz database's short name of the country (iso3166.tab)."""
    table = resources.files("tzdata").joinpath("zoneinfo", "iso3166.tab")
    rows = table.read_text(encoding="utf-8").splitlines()
    return dict(row.split("\t", 1) for row in rows if row and not row.startswith("#"))


def country_name(code: str) -> str:
    """A country's name for people ('Britain (UK)' for GB), the code if it has none."""
    return _country_names().get(code, code)


def country_of_zone(zone: str) -> str | None:
    """The country (ISO 3166 alpha-2) whose zone this is; None for UTC and the like."""
    return _zone_countries().get(zone)


def example_for(region: str | None) -> str:
    """A number as the desk would type it in this country, to show in a hint."""
    if region:
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        if example is not None:
            return phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
    return INTERNATIONAL_EXAMPLE


def _read(value: str, region: str | None) -> phonenumbers.PhoneNumber | str:
    """The number read, or why it is none."""
    if len(value) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters"
    try:
        number = phonenumbers.parse(value, region)
    except NumberParseException as error:
        if error.error_type != NumberParseException.INVALID_COUNTRY_CODE:
            return "is not a phone number"
        if value.lstrip().startswith("+"):
            return "begins with no country code there is"
        return "needs its country code, beginning with +"
    if number.extension:
        return "has an extension: give the number an SMS can reach, without it"
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.TOO_SHORT or reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return "is too short: give the whole number, with its area code"
    if reason != ValidationResult.IS_POSSIBLE:
        return "does not have the length of a number of its country"
    return number


def phone_problem(value: str, region: str | None) -> str | None:
    """Why the value is no phone number Regimen can keep, or None ('' is no number: fine)."""
    value = value.strip()
    if value == "":
        return None
    found = _read(value, region)
    return found if isinstance(found, str) else None


def phone_number(name: str, value: str, region: str | None) -> str:
    """The number in E.164 (`+447700900102`), '' for ''; or raise InvalidValue saying
    what is wrong with the field `name`. `region` is the country national numbers are
    read in (the clinic's); None accepts international numbers only."""
    value = value.strip()
    if value == "":
        return ""
    found = _read(value, region)
    if isinstance(found, str):
        raise InvalidValue(f"{name} {found}")
    return phonenumbers.format_number(found, PhoneNumberFormat.E164)
