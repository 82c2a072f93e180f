"""Audit: sealed (tamper-evident) event storage, verification, replay and access logging."""
