"""Benchmark of the claims list endpoint against a raw SQL fetch of the same rows, in one run.

Run from the repository root: ``.venv/bin/python bench/api.py``. Creates a throwaway database (`factcheck_bench`) on
the configured PostgreSQL (the embedded one when DATABASE_URL is unset), fills it with 500 claims with 2 evidence
and 1 verdict each, then times `GET /api/claims/?limit=N` through Django's test client (authentication, permissions,
queries, serialization, JSON rendering) and one raw SQL query through psycopg that returns the same data
(claim columns, author, verdict with rating and users, evidence as a JSON array). Prints the medians and the ratio.
Target: the full request at most 4x the raw fetch at 500 rows.
"""

import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

from factcheck import embedded  # noqa: E402

embedded.ensure_database_url()

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

CLAIMS = 500
REPEATS = 15
RAW_SQL = """
SELECT c.id, c.article_id, c.revision_id, c.start, c."end", c.exact, c.prefix, c.suffix, c.claimant, c.claim_reviewed,
       c.status, c.created_at, c.updated_at, c.anchor_state, c.anchor_revision_id, c.anchor_start, c.anchor_end,
       c.anchor_exact, c.anchor_score, u.username,
       v.id, v.rating_id, r.label, v.explanation, va.username, v.status, vr.username, v.review_comment, v.version,
       v.created_at, v.updated_at, v.submitted_at, v.reviewed_at, v.published_at,
       (SELECT json_agg(json_build_object(
                 'id', e.id, 'url', e.url, 'quote', e.quote, 'stance', e.stance, 'note', e.note, 'source', e.source_id,
                 'capture', e.capture_id, 'quote_status', e.quote_status, 'quote_start', e.quote_start,
                 'quote_end', e.quote_end, 'quote_score', e.quote_score, 'quote_differences', e.quote_differences,
                 'author', eu.username,
                 'created_at', e.created_at, 'updated_at', e.updated_at) ORDER BY e.created_at, e.id)
          FROM annotations_evidence e JOIN auth_user eu ON eu.id = e.author_id WHERE e.claim_id = c.id)
FROM annotations_claim c
JOIN auth_user u ON u.id = c.author_id
LEFT JOIN annotations_verdict v ON v.claim_id = c.id
LEFT JOIN annotations_rating r ON r.id = v.rating_id
LEFT JOIN auth_user va ON va.id = v.author_id
LEFT JOIN auth_user vr ON vr.id = v.reviewer_id
ORDER BY c.created_at DESC, c.id DESC
LIMIT %s
"""


def populate() -> "object":
    from django.contrib.auth import get_user_model

    from annotations import models
    from annotations.services import role_assign

    user = get_user_model().objects.create_user("bench", password="bench-password")
    role_assign(user=user, role="Editors")
    words = [f"claim{i:04d}" for i in range(CLAIMS)]
    text = " ".join(words)
    article = models.Article.objects.create(title="Bench article", url="https://bench.example/a")
    revision = models.ArticleRevision.objects.create(
        article=article, number=1, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), origin="pasted"
    )
    scale = models.RatingScale.objects.create(name="Bench")
    rating = models.Rating.objects.create(scale=scale, label="True", value=5, position=1)
    claims = []
    for word in words:
        start = text.index(word)
        claims.append(
            models.Claim(
                article=article,
                revision=revision,
                start=start,
                end=start + len(word),
                exact=word,
                prefix=text[max(0, start - 32) : start],
                suffix=text[start + len(word) : start + len(word) + 32],
                claimant="Someone",
                claim_reviewed=f"Statement about {word}",
                author=user,
                anchor_revision=revision,
                anchor_start=start,
                anchor_end=start + len(word),
                anchor_exact=word,
            )
        )
    claims = models.Claim.objects.bulk_create(claims)
    models.Evidence.objects.bulk_create(
        models.Evidence(
            claim=claim,
            url=f"https://ev.example/{claim.pk}/{n}",
            stance=stance,
            quote="A quote.",
            note="A note.",
            author=user,
        )
        for claim in claims
        for n, stance in enumerate(("supports", "refutes"))
    )
    models.Verdict.objects.bulk_create(
        models.Verdict(claim=claim, rating=rating, explanation="Because the sources say so.", author=user)
        for claim in claims
    )
    return user


def median_seconds(function) -> float:
    function()  # warm up
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    connection.settings_dict["TEST"]["NAME"] = "factcheck_bench"
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from knox.models import AuthToken

        user = populate()
        token = AuthToken.objects.create(user=user)[1]
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        # The same server and database as Django's connection (host may be a socket folder from OPTIONS).
        params = connection.get_connection_params()
        keys = ("dbname", "user", "password", "host", "port")
        raw = psycopg.connect(**{key: params[key] for key in keys if params.get(key)})
        print(f"{CLAIMS} claims, 2 evidence and 1 verdict each; median of {REPEATS} runs")
        print(f"{'rows':>5} {'API request (ms)':>17} {'raw SQL (ms)':>13} {'ratio':>6}")
        for rows in (100, 500):

            def request(rows=rows):
                response = client.get(f"/api/claims/?limit={rows}")
                assert response.status_code == 200, response.content[:200]
                assert len(response.content) > rows * 100

            def fetch(rows=rows):
                with raw.cursor() as cursor:
                    cursor.execute(RAW_SQL, (rows,))
                    assert len(cursor.fetchall()) == rows

            api_time, sql_time = median_seconds(request), median_seconds(fetch)
            print(f"{rows:>5} {api_time * 1000:>17.1f} {sql_time * 1000:>13.1f} {api_time / sql_time:>6.2f}")
        raw.close()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
