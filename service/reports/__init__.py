"""Documents Regimen produces for people outside the clinic: the progress report."""
