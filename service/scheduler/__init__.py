"""Scheduling: recurrence and booking policy (pure), reminder dispatch, the runner."""
