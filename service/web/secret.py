"""The key that signs the web page's session cookie (kept with the adapters: links use it too)."""

from __future__ import annotations

from service.adapters.secret_key import session_secret, shared_key

__all__ = ["session_secret", "shared_key"]
