"""The interactive API documentation's files, served from the installed Swagger UI bundle.

The page itself is flask-smorest's; its scripts and styles come from this server, never
from a CDN, so the docs work on a clinic network that reaches nothing else.
"""

from __future__ import annotations

from flask import Blueprint, Response, send_from_directory
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/api/docs/assets/"
blp = Blueprint("docs_assets", __name__)


@blp.get(f"{ASSETS}<path:name>")
def swagger_ui_asset(name: str) -> Response:
    """One file of the Swagger UI bundle (404 for any other name)."""
    return send_from_directory(str(swagger_ui_path), name, max_age=86400)
