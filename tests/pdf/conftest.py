"""The real worksheet types and a team (tests/integration/worksheets/conftest.py) for the export tests, and the
test program of the certificate tests (tests/integration/certificates/conftest.py)."""

from tests.integration.certificates.conftest import courses_root, program  # noqa: F401
from tests.integration.worksheets.conftest import real_courses, real_team, real_worksheet_types  # noqa: F401
