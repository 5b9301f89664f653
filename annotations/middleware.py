"""A database that is down answers 503 Service Unavailable with Retry-After, not a generic 500.

The settings bound how long a request waits for the database (DATABASE_CONNECT_TIMEOUT, DATABASE_POOL_TIMEOUT), so
the error arrives within seconds; this turns it into an answer that says "try again" to people, API clients and
load balancers. The page is a fixed string: rendering the site's templates would query the database again.
"""

import logging

import psycopg.errors
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MESSAGE = "The service is temporarily unavailable (the database cannot be reached). Please try again shortly."
BUSY_MESSAGE = "The database is busy (the request could not finish in time). Please try again shortly."
# Errors of a reachable database that a retry usually gets past: a deadlock, a serialization failure, a statement
# timeout. They are OperationalErrors too, but "cannot be reached" would send whoever reads it the wrong way.
BUSY = (psycopg.errors.TransactionRollback, psycopg.errors.QueryCanceled)
JSON_PREFIXES = ("/api/", "/annotations/", "/healthz")
PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Temporarily unavailable</title></head>"
    "<body><h1>Temporarily unavailable</h1><p>{message}</p></body></html>"
)


def service_unavailable(request, message: str = MESSAGE) -> HttpResponse:
    if request.path.startswith(JSON_PREFIXES):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(PAGE.format(message=message), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError: cannot connect, pool timeout, connection lost mid-query; InterfaceError: connection closed.
        if isinstance(exception, OperationalError | InterfaceError):
            if isinstance(exception.__cause__, BUSY):
                logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
                return service_unavailable(request, BUSY_MESSAGE)
            logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception)
            return service_unavailable(request)
        return None
