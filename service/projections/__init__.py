"""Read models: tables kept up to date from the notification log, exactly once per view."""
