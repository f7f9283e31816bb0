"""The real worksheet types and a team (tests/integration/worksheets/conftest.py) for the export tests."""

from tests.integration.worksheets.conftest import real_courses, real_team, real_worksheet_types  # noqa: F401
