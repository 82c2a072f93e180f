"""Benchmarks: each measures a Regimen figure beside its baseline, in one run, as a ratio."""
