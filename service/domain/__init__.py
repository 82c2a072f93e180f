"""The clinic's domain: aggregates, events, value objects and rules."""
