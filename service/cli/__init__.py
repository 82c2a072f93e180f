"""The `regimen` command and its groups: serve, scheduler, projections, audit, db, users."""
