"""Is each service the app depends on reachable? Each check gives up after HEALTH_TIMEOUT seconds.

Used by /healthz. The database is checked with a connection of its own (not the request's pooled one), so that a
health probe neither waits for the pool's timeout nor takes a connection from the requests.
"""

import logging

from django.db import connection

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT = 2  # seconds; libpq rounds connect timeouts below 2 s up to 2 s


def database_ok() -> bool:
    params = connection.get_connection_params()
    params["connect_timeout"] = HEALTH_TIMEOUT
    try:
        with connection.Database.connect(**params) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means "down" to a health probe; the reason goes to the log only
        logger.warning("Health check: the database is unreachable: %s", exc)
        return False
    return True


def broker_ok() -> bool:
    from factcheck.celery import app

    try:
        with app.connection_for_write(connect_timeout=HEALTH_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=0, timeout=HEALTH_TIMEOUT)
            # Redis: the transport's connection is lazy; a round trip proves the broker answers.
            client = getattr(conn.default_channel, "client", None)
            if client is not None:
                client.ping()
    except Exception as exc:
        logger.warning("Health check: the broker is unreachable: %s", exc)
        return False
    return True


def report() -> dict[str, str]:
    checks = {"database": database_ok(), "broker": broker_ok()}
    return {
        "status": "ok" if all(checks.values()) else "unavailable",
        **{name: "ok" if up else "down" for name, up in checks.items()},
    }
