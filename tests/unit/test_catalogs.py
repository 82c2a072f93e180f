"""The catalogs clients read: every word extracted is in each .po, French is complete with the
same placeholders, the committed .mo files are compiled from their .po (`make translations`),
and the words of text messages stay in GSM-7."""

from __future__ import annotations

import re
from configparser import ConfigParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from service.domain.languages import LANGUAGES
from service.reminders.language import LOCALES
from service.reminders.sms import gsm7_length

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")
SMS_WORDS = (
    " {hours}h+ ahead",
    "Confirm/cancel{ahead}: {link}",
    "Confirm/cancel: {link}",
    "To cancel{ahead} call {phone}.",
    "To cancel{ahead} contact {clinic}.",
    "session {when}.",
    "Reply STOP to opt out",
    "STOP to opt out",
    "Details: {link}",
    "booked {count} sessions from {when}",
    "session booked {when}",
    "{count} sessions moved, from {when}",
    "session moved to {when}",
    "{count} sessions cancelled",
    "session {when} cancelled",
    "EEE d MMM HH:mm",
    "{clinic}: a time is free {when}. First to claim by {until} gets it: {link}",
    "{clinic}: free {when}, claim by {until}: {link}",
    "Free {when}, claim by {until}: {link}",
)


def po(language: str) -> Catalog:
    with open(LOCALES / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file)


def extracted() -> set[str]:
    """The words the code and the client templates mark, as `make translations` finds them."""
    config = ConfigParser()
    config.read(ROOT / "babel.cfg")
    method_map = [tuple(section.split(": ")[::-1]) for section in config.sections()]
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "n_": (1, 2)}
    found = extract_from_dir(ROOT, method_map, keywords=keywords)  # type: ignore[arg-type]
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


def same(text: object) -> object:
    """A message's id or string, plural forms as a tuple."""
    return text if isinstance(text, str) else tuple(text)  # type: ignore[call-overload]


def ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_word_is_in_the_catalog(language: str) -> None:
    assert ids(po(language)) == extracted()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_the_po_compiled(language: str) -> None:
    with open(LOCALES / language / "LC_MESSAGES" / "messages.mo", "rb") as file:
        compiled = {same(m.id): same(m.string) for m in read_mo(file) if m.id}
    source = {same(m.id): same(m.string) for m in po(language) if m.id}
    assert compiled == source, "run `make translations` and commit the .mo files"


def test_french_is_complete_with_the_same_placeholders() -> None:
    for message in po("fr"):
        if not message.id:
            continue
        one = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else message.string
        for string in strings:
            assert string, one
            assert sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(one)), one


def test_the_words_of_french_text_messages_are_gsm7() -> None:
    french = {m.id: m.string for m in po("fr") if isinstance(m.id, str)}
    assert [w for w in SMS_WORDS if gsm7_length(french[w]) is None] == []
