"""How clients reach the clinic: the address, phone, email and website every message carries,
and the clinic's own words for its late-cancel rule."""

from __future__ import annotations

from dataclasses import dataclass, replace

from service.domain.email_address import email_address
from service.domain.errors import InvalidValue
from service.domain.text import one_line

MAX_RULE = 300  # a sentence or two: it goes into every message


@dataclass(frozen=True)
class ClinicContact:
    """What a client's message says about reaching the clinic (all optional)."""

    address: str = ""  # one line, as a letter would carry it
    phone: str = ""  # as the clinic writes it (E.164 when it gave one)
    email: str = ""  # where clients write to: an email's Reply-To
    website: str = ""  # the clinic's own site (https://...)
    late_cancel_rule: str = ""  # e.g. "Late cancellations are charged in full."

    @property
    def lines(self) -> list[str]:
        """The contact details a message lists, those given only."""
        return [part for part in (self.address, self.phone, self.email, self.website) if part]


NO_CONTACT = ClinicContact()


def checked_contact(contact: ClinicContact) -> ClinicContact:
    """The contact with its email in normal form; InvalidValue naming the first bad field."""
    for name in ("address", "phone", "website", "late_cancel_rule"):
        value = getattr(contact, name)
        if value != one_line(value).strip():
            raise InvalidValue(f"{name} must be one line of printable text")
    if len(contact.late_cancel_rule) > MAX_RULE:
        raise InvalidValue(f"late_cancel_rule is longer than {MAX_RULE} characters")
    if contact.website and not contact.website.startswith(("https://", "http://")):
        raise InvalidValue("website must start with https:// or http://")
    return replace(contact, email=email_address("email", contact.email))
