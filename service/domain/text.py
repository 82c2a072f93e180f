"""Which characters a stored text may hold: printable text, one line unless it is free text.

Control characters (NUL included) and lone surrogates are never text: PostgreSQL
cannot store NUL, UTF-8 cannot encode a lone surrogate, and either would stop every
reader of the event log. A single-line value (a name, a reason, a phone number)
ends up in email headers, ICS lines and table cells, so it also may not break a
line: not with CR or LF, nor with U+2028/U+2029, which JavaScript, ICS readers and
some mail clients treat as line ends. The bidirectional overrides and isolates
(U+202A-U+202E, U+2066-U+2069) are refused in single-line values too: they make a
name display as something else ("Trojan Source"). Other invisible format
characters (zero-width joiner and non-joiner, soft hyphen) stay allowed: names in
Persian, Indic scripts and emoji need them. Free text (notes) may keep tab, LF and CR.
"""

from __future__ import annotations

import re

from service.domain.errors import InvalidValue

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NEVER = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
_LINE_BREAKS = "\t\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069"
_FREE_TEXT_UNSAFE = re.compile(f"[{_NEVER}]")
_ONE_LINE_UNSAFE = re.compile(f"[{_NEVER}{_LINE_BREAKS}]")
# The same rules as JSON Schema patterns (ECMA-262), for the OpenAPI document. Lone
# surrogates are left out: a regular expression engine may not take them, and no
# JSON generator sends them unasked.
_NEVER_ESCAPED = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
_ONE_LINE_ESCAPED = _NEVER_ESCAPED + "\\t\\n\\r\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069"
FREE_TEXT_PATTERN = f"^[^{_NEVER_ESCAPED}]*$"
ONE_LINE_PATTERN = f"^[^{_ONE_LINE_ESCAPED}]*$"
ONE_LINE_REFUSED = _ONE_LINE_ESCAPED  # inside a pattern's [...]: what one line never holds
_LINE_CHARACTER = f"[^{_ONE_LINE_ESCAPED}]"
NOT_BLANK_LINE_PATTERN = f"^{_LINE_CHARACTER}*[^\\s{_ONE_LINE_ESCAPED}]{_LINE_CHARACTER}*$"
_ONE_LINE_RUNS = re.compile(_ONE_LINE_UNSAFE.pattern + "+")


def unsafe_character(value: str, *, multiline: bool = False) -> str | None:
    """Why the value cannot be stored as text (naming the first bad character), or None."""
    found = (_FREE_TEXT_UNSAFE if multiline else _ONE_LINE_UNSAFE).search(value)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if found.group() in "\n\r\u2028\u2029":
        return f"must be a single line: it contains a line break ({code})"
    if "\ud800" <= found.group() <= "\udfff":
        return f"contains a lone surrogate ({code}), which is not a character"
    if found.group() in BIDI_CONTROLS:
        return f"contains the bidirectional control {code}, which changes how it displays"
    return f"contains the control character {code}; use printable text"


def require_safe_text(name: str, value: str, *, multiline: bool = False) -> None:
    """Raise InvalidValue if the value holds a character no stored text may hold."""
    reason = unsafe_character(value, multiline=multiline)
    if reason is not None:
        raise InvalidValue(f"{name} {reason}")


def one_line(value: str) -> str:
    """The value with every run of characters a single line may not hold made one space.

    For text stored before these characters were refused, on its way into an email
    header or an ICS line: shown a little differently rather than not at all.
    """
    return _ONE_LINE_RUNS.sub(" ", value)
