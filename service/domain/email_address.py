"""Which email addresses Regimen accepts: the one rule the API, the pages and the domain use.

The syntax is email-validator's (RFC 5321/5322 as mail servers really accept it), with
no DNS look-up: registering a client must not wait on the network, nor fail with it.
It refuses line breaks (U+2028 included), control characters even in quotes, and
quoted or IP-literal forms that few servers deliver to.

Beyond ASCII, one half is accepted and the other refused:

- an international domain (`cora@exämple.org`) is accepted, kept as written, and sent
  to in its ASCII form (`cora@xn--exmple-cua.org`), which every mail server takes;
- a mailbox name beyond ASCII (`zoë@example.org`) is refused: mail to it needs
  SMTPUTF8 from every server on its way, which the clinic's relay may not offer and
  which cannot be known when the address is given. An address stored before this
  rule is still sent with SMTPUTF8 when the relay offers it (see `address_as_sent`).
"""

from __future__ import annotations

from functools import lru_cache

from email_validator import EmailNotValidError, ValidatedEmail, validate_email

from service.domain.errors import InvalidValue

EXAMPLE = "name@example.org"


@lru_cache(maxsize=1024)
def _validated(value: str) -> ValidatedEmail | str:
    """The address read by email-validator, or why it is none."""
    try:
        return validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)


def email_problem(value: str) -> str | None:
    """Why the value is no address Regimen can send reminders to, or None."""
    found = _validated(value)
    if isinstance(found, str):
        return f"is not a usable email address: {found}"
    if not found.local_part.isascii():
        return (
            f"has letters beyond ASCII before the @ ({found.local_part!r}), which the "
            "clinic's mail server may not deliver to: give an address in ASCII letters"
        )
    return None


def email_address(name: str, value: str) -> str:
    """The address in its normal form (the domain lower-cased), '' for ''; or raise
    InvalidValue saying what is wrong with the field `name`."""
    if value == "":
        return ""
    problem = email_problem(value)
    if problem is not None:
        raise InvalidValue(f"{name} {problem}")
    found = _validated(value)
    assert not isinstance(found, str)
    return found.normalized


def address_as_sent(address: str) -> str:
    """The address to hand a mail server: the domain in ASCII (punycode) where it can be.

    What is left beyond ASCII (a mailbox name stored before the rule above) needs the
    server's SMTPUTF8; an address that is none at all raises InvalidValue. An ASCII one
    with an @ goes as it is: the server has the last word on those stored before.
    """
    if address.isascii() and "@" in address:
        return address
    found = _validated(address)
    if isinstance(found, str):
        raise InvalidValue(f"{address!r} is not a usable email address: {found}")
    return found.ascii_email or found.normalized
