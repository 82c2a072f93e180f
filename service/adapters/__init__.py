"""Everything that speaks SQL, SMTP or locks: the store, kept aggregates, pools, channels."""
