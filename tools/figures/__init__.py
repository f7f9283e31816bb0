"""Writers of the six-month program's figures (courses/six-month/*/figures/*.svg): `python -m tools.figures`."""
