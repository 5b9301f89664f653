"""Stamps of what a page shows, read from PostgreSQL's row versions, for caches that can never serve a stale page.

Every INSERT or UPDATE writes a new version of a row, with the id of the transaction that wrote it (`xmin`) and a new
place (`ctid`), whichever path wrote it: a service, a queryset `.update()`, the re-anchoring's bulk update, a data
migration or psql. A stamp lists the versions of every row a page is made of, so any change to one of them, a row
added or a row deleted gives another stamp. Rendered HTML keyed by a stamp is therefore immutable: a cache of it
needs no invalidation, only a size bound, and each worker can keep its own.

`updated_at` columns would not do: several writes (anchoring, capture results) do not touch them.
A stamp read in one statement and the data read in the next may straddle a commit; the data is then newer than the
stamp, and the next request reads the new stamp and renders again, so nothing stale is ever served from the cache.
"""

from __future__ import annotations

import hashlib
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.expressions import RawSQL

from . import corpus_links
from .models import Article, ArticleRevision, Assignment, Claim, Evidence, Rating, Source, Verdict


def _tables() -> dict:
    return {
        "article": Article._meta.db_table,
        "source": Source._meta.db_table,
        "revision": ArticleRevision._meta.db_table,
        "claim": Claim._meta.db_table,
        "verdict": Verdict._meta.db_table,
        "rating": Rating._meta.db_table,
        "user": get_user_model()._meta.db_table,
        "evidence": Evidence._meta.db_table,
        "assignment": Assignment._meta.db_table,
    }


# What the reader shows without a claim open: the article and its outlet, its revisions (the newest one's text and
# how many there are), every claim (highlight, status, list entry, withdrawal and who withdrew it, its same-claim link
# and best match in the corpus: the "Already checked" flag) and every verdict with its rating (the colour of a
# published claim).
def _version(alias: str) -> str:
    """A row version's SQL: its transaction and its place (`ctid`), which changes on every update even inside one
    transaction (where `xmin` stays the same)."""
    return f"{alias}.xmin::text || {alias}.ctid::text"


# Table names come from the models (below); the article id is a query parameter.
READER_SQL = f"""
SELECT {_version("a")}
  || '|' || coalesce((SELECT {_version("s")} FROM "{{source}}" s WHERE s.id = a.outlet_id), '')
  || '|' || coalesce((SELECT string_agg({_version("r")}, ',' ORDER BY r.id)
                      FROM "{{revision}}" r WHERE r.article_id = a.id), '')
  || '|' || coalesce((SELECT string_agg({_version("c")} || coalesce({_version("u")}, '') || {{claim_links}},
                                        ',' ORDER BY c.id)
                      FROM "{{claim}}" c LEFT JOIN "{{user}}" u ON u.id = c.withdrawn_by_id
                      WHERE c.article_id = a.id), '')
  || '|' || coalesce((SELECT string_agg({_version("v")} || coalesce({_version("g")}, ''), ',' ORDER BY v.id)
                      FROM "{{verdict}}" v JOIN "{{claim}}" c ON c.id = v.claim_id
                      LEFT JOIN "{{rating}}" g ON g.id = v.rating_id
                      WHERE c.article_id = a.id), '')
FROM "{{article}}" a WHERE a.id = %s
"""  # noqa: S608


@cache
def _reader_sql() -> str:
    # Built on first use: the links' tables are known once every app's models are loaded.
    links = " || ".join(
        (corpus_links.same_as_version_sql("c", _version), corpus_links.best_match_version_sql("c", _version))
    )
    return READER_SQL.format(**_tables(), claim_links=links)


def reader_stamp(article_id: int) -> str | None:
    """The stamp of an article's page in the reader (without a claim open); None when there is no such article."""
    with connection.cursor() as cursor:
        cursor.execute(_reader_sql(), [article_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return hashlib.blake2b(row[0].encode(), digest_size=16).hexdigest()


# What a claim's API document (api/representation.py) is made of: the claim and the users it names, its evidence
# and their authors, its verdict with its rating, author and reviewer, its assignment and the people it names, its
# same-claim link with its fact-check and who linked it. Correlated to the claim row of the query.
CLAIM_DOCUMENT_SQL = f"""
{_version('"{claim}"')}
  || coalesce((SELECT {_version("u")} FROM "{{user}}" u WHERE u.id = "{{claim}}".author_id), '')
  || '.' || coalesce((SELECT {_version("u")} FROM "{{user}}" u WHERE u.id = "{{claim}}".withdrawn_by_id), '')
  || '|' || coalesce((SELECT string_agg({_version("e")} || coalesce({_version("ue")}, ''), ',' ORDER BY e.id)
                      FROM "{{evidence}}" e LEFT JOIN "{{user}}" ue ON ue.id = e.author_id
                      WHERE e.claim_id = "{{claim}}".id), '')
  || '|' || coalesce((SELECT string_agg({_version("v")} || coalesce({_version("g")}, '')
                                        || coalesce({_version("ua")}, '') || '.' || coalesce({_version("ur")}, ''),
                                        ',' ORDER BY v.id)
                      FROM "{{verdict}}" v LEFT JOIN "{{rating}}" g ON g.id = v.rating_id
                      LEFT JOIN "{{user}}" ua ON ua.id = v.author_id LEFT JOIN "{{user}}" ur ON ur.id = v.reviewer_id
                      WHERE v.claim_id = "{{claim}}".id), '')
  || '|' || coalesce((SELECT {_version("m")} || coalesce({_version("uc")}, '') || '.' || coalesce({_version("uv")}, '')
                                || '.' || coalesce({_version("ub")}, '')
                      FROM "{{assignment}}" m LEFT JOIN "{{user}}" uc ON uc.id = m.checker_id
                      LEFT JOIN "{{user}}" uv ON uv.id = m.reviewer_id
                      LEFT JOIN "{{user}}" ub ON ub.id = m.assigned_by_id
                      WHERE m.claim_id = "{{claim}}".id), '')
  || '|' || {{claim_links}}
"""  # noqa: S608


@cache
def _claim_document_sql() -> str:
    tables = _tables()
    links = corpus_links.same_as_version_sql(f'"{tables["claim"]}"', _version, user_table=tables["user"])
    return CLAIM_DOCUMENT_SQL.format(**tables, claim_links=links)


def claim_document_version() -> RawSQL:
    """An expression for a claims queryset: the version of each claim's API document (changes whenever it does)."""
    return RawSQL(_claim_document_sql(), [])  # noqa: S611 - no value from outside
