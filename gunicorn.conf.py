"""gunicorn's settings for QTP, read from the working folder (`gunicorn wsgi:app` from the repository root).

- gunicorn's own lines (start, stop, worker timeouts) are JSON too when the app's are (production or
  `QTP_LOG_FORMAT=json`); its access log stays off: the app writes one access line per request.
- With `PROMETHEUS_MULTIPROC_DIR` (several workers), a worker that ends is forgotten by the metrics.
"""

from qtp.config import log_format
from qtp.core.metrics import child_exit  # noqa: F401  (gunicorn's hook of that name)

if log_format() == "json":
    logconfig_dict = {"formatters": {"generic": {"()": "qtp.core.logs.JsonFormatter"}}}
