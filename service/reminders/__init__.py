"""Reminders: pure planning, messages, channels and the calendar feed."""
