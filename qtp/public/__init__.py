"""Public pages: the landing page and the health check (program pages, survey, graduates come later)."""
