"""A reachable but busy database (a statement timeout, a deadlock) answers 503 saying so, not "cannot be reached"."""

import json

import pytest
from django.db import OperationalError, connection, transaction
from django.test import RequestFactory

from annotations.middleware import BUSY_MESSAGE, MESSAGE, DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db


def timed_out_statement() -> OperationalError:
    """The error PostgreSQL really gives when a statement runs past statement_timeout."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 10")
            cursor.execute("SELECT pg_sleep(2)")
    except OperationalError as error:
        return error
    raise AssertionError("the statement was not cancelled")


@pytest.mark.parametrize(("path", "json_answer"), [("/api/claims/", True), ("/articles/", False)])
def test_a_timed_out_statement_is_busy_not_unreachable(path, json_answer):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().get(path), timed_out_statement())
    assert response.status_code == 503 and response["Retry-After"]
    body = json.loads(response.content)["detail"] if json_answer else response.content.decode()
    assert BUSY_MESSAGE in body and MESSAGE not in body
