"""Demo data for development: realistic practices, cohorts, teams and the demo accounts."""
