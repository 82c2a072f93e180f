"""The front desk's web page: one blueprint, its templates and static files."""

from __future__ import annotations

from flask import Blueprint

web = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)
