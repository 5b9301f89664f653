"""Fuzz the API from its own OpenAPI schema: no 5xx, and every response matches the schema it is documented with.

Bounded (examples per operation and no deadline per example) so that it stays part of `make test`.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from annotations import services

from .api_support import make_claim, make_published, token_for

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def wsgi_app_in_test_transaction(db):
    """The WSGI app, without its end-of-request connection cleanup (Django's test client does the same).

    Otherwise each request would close the connection that holds this test's transaction.
    """
    from django.core import signals
    from django.db import close_old_connections

    from factcheck.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(wsgi_app_in_test_transaction, editor, reviewer, admin_user, revision, rating):
    """Something to find: a published claim, a draft with evidence and a source, so that reads return real rows."""
    make_published(editor, reviewer, revision, rating)
    draft = make_claim(editor, revision, "Putin underscored")
    services.evidence_add(actor=editor, claim=draft, url="https://sipri.org/x", stance="context")
    services.source_save(actor=admin_user, name="SIPRI", domain="sipri.org", kind="research")
    return token_for(admin_user)


def _load_schema():
    # Schema generation needs no database, so loading it while collecting is safe.
    from factcheck.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    # Schemathesis' coverage phase (every boundary of every parameter) would take minutes; random generation with
    # the explicit examples stays within the time `make test` can spend here.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = _load_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_errors_and_keeps_to_its_schema(case, seeded):
    # An admin holds every permission, so writes reach the services rather than stopping at the role check.
    case.call_and_validate(
        headers={"Authorization": f"Token {seeded}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
