"""Regimen: booking and treatment series for massage and manual-therapy clinics."""
