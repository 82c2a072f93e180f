"""Regimen's tests: unit, application, API and system tiers."""
