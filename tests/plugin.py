"""Loaded with `-p tests.plugin` before pytest-django reads the settings: the test environment's defaults.

Without DATABASE_URL the tests get an embedded PostgreSQL of their own (.data/test-postgres), never the one `make run`
serves from: a development server that is running, stopping or stopped changes nothing here. It is stopped
afterwards if this run started it. CI sets DATABASE_URL and CELERY_BROKER_URL to the machine's PostgreSQL and Redis.
"""

import os

from factcheck import embedded

# Tests run the development configuration (plain http on 127.0.0.1 for the live server and the browser).
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in-thread

_was_running = embedded.is_running(embedded.TEST_PGDATA)
# Stop it afterwards only if this run started it (another test run may be using it).
_started_embedded = embedded.ensure_database_url(embedded.TEST_PGDATA) and not _was_running


def pytest_unconfigure(config):
    if _started_embedded:
        embedded.stop(embedded.TEST_PGDATA)
