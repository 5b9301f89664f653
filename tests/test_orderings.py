"""Default orderings use each table's own columns: no query (and no row lock) reaches into a related table."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from annotations.models import ArticleRevision, Claim, Evidence, Rating

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [ArticleRevision, Claim, Evidence, Rating])
def test_a_locked_default_ordered_query_joins_no_other_table(model):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        list(model.objects.select_for_update())
    sql = queries.captured_queries[-1]["sql"]
    assert "JOIN" not in sql.upper()
    assert "FOR UPDATE" in sql.upper()
