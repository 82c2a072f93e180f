"""The web page's session cookie: a signed CSRF token before sign-in, a session id after.

Flask's own session lives wholly in the cookie, so signing out could only ask the
browser to forget it, and a copy kept elsewhere went on working. Here the cookie of
a signed-in browser holds only a random id, and the session itself (the user, the
CSRF token, when it began and was last used) is a row of `BrowserSessions`, read on
every request: deleting the row ends the session everywhere. Before sign-in the
cookie holds just the sign-in form's CSRF token, so visitors who never sign in
leave no rows behind. The views keep using `flask.session` as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from flask import Flask, Request, Response, request
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin

from service.adapters.browser_sessions import BrowserSession, BrowserSessions

SESSIONS = "regimen.browser_sessions"


SERIALIZER = TaggedJSONSerializer()  # Flask's own: keeps tuples, bytes and dates as they were
OWN_KEYS = ("user_id", "csrf")  # kept in their own columns; the rest goes in `data`


class SignedInSession(SecureCookieSession):
    """The session of a signed-in browser, as its row says: the user, the CSRF token and
    whatever else the page keeps until the next request (flashed messages)."""

    def __init__(self, session_id: str, found: BrowserSession) -> None:
        data = SERIALIZER.loads(found.data) if found.data else {}
        super().__init__({**data, "user_id": found.user_id, "csrf": found.csrf_token})
        self.session_id = session_id
        self.found = found
        self.modified = False

    @property
    def same_user(self) -> bool:
        """Whether the request left the user and the token as the row has them."""
        return (self.get("user_id"), self.get("csrf")) == (
            self.found.user_id,
            self.found.csrf_token,
        )

    @property
    def data(self) -> str:
        """Everything else in the session, as the row keeps it."""
        return data_of(self)


def data_of(session: SessionMixin) -> str:
    """The session's values other than the user and the token, serialised ('' if none)."""
    rest = {k: v for k, v in session.items() if k not in OWN_KEYS}
    return SERIALIZER.dumps(rest) if rest else ""


def browser_sessions(app: Flask) -> BrowserSessions:
    """The sessions table of this app."""
    return cast(BrowserSessions, app.extensions[SESSIONS])


def app_now(app: Flask) -> datetime:
    """The current instant from the app's clock (a fixed one in tests)."""
    return cast(Callable[[], datetime], app.extensions["regimen.clock"])()


class SessionCookies(SecureCookieSessionInterface):
    """Signed cookies, marked Secure whenever the page is served over https, that
    carry a server-side session's id once the browser has signed in."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()  # an API call: no cookie to verify, no signer to build
        cookie = super().open_session(app, request)
        if cookie is None:
            return None
        session_id = cookie.get("sid")
        if isinstance(session_id, str):
            found = browser_sessions(app).find(session_id, app_now(app))
            if found is not None:
                return SignedInSession(session_id, found)
            return self._replacing(cookie, {})  # signed out or ended: the cookie goes
        # Before sign-in only the CSRF token counts; a cookie naming a user (as cookies
        # made before sessions were kept on the server did) signs nobody in.
        token = cookie.get("csrf")
        return self._replacing(cookie, {"csrf": token} if isinstance(token, str) else {})

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if isinstance(session, SignedInSession):
            response.vary.add("Cookie")
            if session.same_user:
                if session.data != session.found.data:
                    browser_sessions(app).keep_data(session.session_id, session.data)
                return  # the cookie holds only the id; activity is recorded by the sign-in check
            browser_sessions(app).end(session.session_id)  # signed out, or signed in anew
            if "user_id" not in session:
                signed_out = self.session_class()
                signed_out.modified = True  # an empty, modified session deletes the cookie
                super().save_session(app, signed_out, response)
                return
        user_id = session.get("user_id")
        if isinstance(user_id, str):  # signed in by this request
            csrf = str(session.get("csrf", ""))
            session_id = browser_sessions(app).start(user_id, csrf, app_now(app), data_of(session))
            signed_in = self.session_class({"sid": session_id})
            signed_in.permanent = True  # the browser keeps it until the absolute limit
            signed_in.modified = True
            super().save_session(app, signed_in, response)
            return
        super().save_session(app, session, response)

    def _replacing(self, old: SessionMixin, data: dict[str, Any]) -> SecureCookieSession:
        """A session with these data, marked to rewrite the cookie if they differ from it."""
        fresh = self.session_class(data)
        fresh.modified = dict(old) != data
        return fresh
