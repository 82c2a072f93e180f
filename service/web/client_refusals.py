"""What a client reads when the domain refuses what they asked: a sentence in the page's
language for each refusal a client can meet, and a general one for the rest. The domain's
own message is for the desk and the log; it is never shown on a client's page."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from service.domain.errors import (
    AccessDenied,
    AuthorizationExceeded,
    ClientErasedError,
    ConcurrentChange,
    NotFound,
    PlanClosed,
    PlanNotAgreed,
    SeriesFull,
    SessionStateError,
    SlotTaken,
)
from service.web.client_access import refusal

SENTENCES = (  # the most particular error first: the first that matches is said
    (SlotTaken, _l("That time was taken a moment ago. Please choose another time.")),
    (SeriesFull, _l("Your plan has no session left to book. Please ask the clinic.")),
    (PlanClosed, _l("This plan is finished or cancelled. Please ask the clinic.")),
    (PlanNotAgreed, _l("This plan is not agreed yet. Please ask the clinic.")),
    (
        AuthorizationExceeded,
        _l("Your insurer's authorization does not cover this session. Please ask the clinic."),
    ),
    (
        SessionStateError,
        _l("This session can no longer be changed here. Please ask the clinic."),
    ),
    (ConcurrentChange, _l("Something changed at the same moment. Please try again.")),
    (ClientErasedError, _l("This can no longer be done here. Please ask the clinic.")),
    (AccessDenied, _l("This cannot be done from this page. Please ask the clinic.")),
    (NotFound, _l("We could not find what you asked for. Please ask the clinic.")),
)
GENERAL = _l("The clinic's rules do not allow this here. Please ask the clinic.")


def refusal_sentence(error: Exception) -> str:
    """The client's sentence for a refusal, in the page's language."""
    return str(next((s for kind, s in SENTENCES if isinstance(error, kind)), GENERAL))


def domain_refusal(error: Exception, title: str = "") -> Response:
    """The 409 page saying, in the client's words, why what they asked was not done."""
    return refusal(409, title or _("That could not be done"), refusal_sentence(error))
