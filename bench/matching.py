"""Claim matching on CheckThat! 2020 Task 2 (verified claim retrieval), beside Okapi BM25 measured in the same run.

Run from the repository root: ``.venv/bin/python bench/matching.py`` (``--sizes 100000,1000000`` for the scale part).
Reads ../shared/data/claim-matching in place (never copied: research use only). It creates a throwaway database
(`factcheck_bench_matching`) on the configured PostgreSQL, imports the 10,373 verified claims as a ClaimReview
DataFeed through ``manage.py import_claimreviews``, embeds them (matching.embedding), then sends each dev tweet to
``GET /api/fact-checks/similar/?limit=5`` through Django's test client as a signed-in editor and prints MAP@5 beside
BM25 over claim and title (k1 1.2, b 0.75, the same tweets), and ms per query. Then, as a desk's history, it stores
each train tweet as an article, claims the whole tweet and links the claim as the same claim as its verified claim's
fact-check (what an editor does in the reader), embeds their wordings and asks the dev tweets again (``--no-links``
skips it). Then it adds synthetic fact-checks (random words, random unit vectors) up to each size and times the same
queries again.
Goals (issue 14): MAP@5 >= 0.93 on the dev tweets; p95 <= 50 ms at 100k fact-checks. The floor for time is the
sentence model alone on the same tweets, measured in the same run (the machine is shared and noisy).
"""

import argparse
import csv
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "claim-matching"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
# The bench embeds and matches in this process: the jobs its writes queue (embed, match a claim) stay in memory
# rather than wait on the desk's broker for its workers, against a database they do not see.
os.environ["CELERY_BROKER_URL"] = "memory://"

from factcheck import embedded  # noqa: E402

embedded.ensure_database_url()

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

STOPWORDS = frozenset(
    re.split(
        r"\s+",
        "a an and are as at be but by for from has have he her his i if in into is it its of on or our she so that "
        "the "
        "their them they this to was we were what when which who will with you your not no do does did been rt",
    )
)


def rows(path: Path) -> list[list[str]]:
    # CSV quoting, tab-separated: 14 verified claims hold line breaks inside quotes, which QUOTE_NONE would split into
    # bogus rows (10,375 claims read this way, every id a number).
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        return list(reader)


def load(split: str = "dev"):
    claims = [[*r, "", ""][:3] for r in rows(DATA / "verified_claims.docs.tsv")]
    tweets = rows(DATA / split / "tweets.queries.tsv")
    relevant: dict[str, set[str]] = {}
    for line in (DATA / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        tweet, _, claim, _ = line.split()
        relevant.setdefault(tweet, set()).add(claim)
    return claims, tweets, relevant


def link_train_tweets(user) -> int:
    """The desk's history: each train tweet an article, the tweet a claim linked as the same claim as its verified
    claim's fact-check (the first, for the one tweet with two). Returns the links made."""
    from annotations.services import article_import, claim_create
    from matching.models import FactCheck
    from matching.services import same_claim_link

    _, tweets, relevant = load("train")
    checks = {row.url.rsplit("/", 1)[1]: row for row in FactCheck.objects.only("id", "url", "claim_id")}
    links = 0
    for tweet_id, text in tweets:
        if tweet_id not in relevant:
            continue
        revision = article_import(
            actor=user, title=f"Tweet {tweet_id}", text=text, origin="pasted", url=f"https://x.example/{tweet_id}"
        ).revision
        quote = revision.text.strip()
        start = revision.text.index(quote)
        claim = claim_create(
            actor=user, revision=revision, start=start, end=start + len(quote), exact=quote, claim_reviewed=quote[:75]
        )
        same_claim_link(actor=user, claim=claim, fact_check=checks[sorted(relevant[tweet_id])[0]])
        links += 1
    return links


def average_precision_at_5(ranked: list[str], relevant: set[str]) -> float:
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:5]):
        if item in relevant:
            hits += 1
            total += hits / (i + 1)
    return total / min(len(relevant), 5)


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS]


class BM25:
    """Okapi BM25 (k1 1.2, b 0.75) over claim and title: the task's floor."""

    def __init__(self, documents: list[str], k1: float = 1.2, b: float = 0.75):
        self.docs = [Counter(words(d)) for d in documents]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.average = sum(self.lengths) / len(self.docs)
        df = Counter(w for d in self.docs for w in d)
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, d in enumerate(self.docs):
            for w in d:
                self.postings.setdefault(w, []).append(i)
        self.k1, self.b = k1, b

    def top(self, query: str, k: int = 5) -> list[int]:
        scores: Counter = Counter()
        for w in set(words(query)):
            for i in self.postings.get(w, ()):
                tf = self.docs[i][w]
                norm = tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / self.average))
                scores[i] += self.idf[w] * norm
        return [i for i, _ in scores.most_common(k)]


def feed(claims) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {
                "@type": "DataFeedItem",
                "item": [
                    {
                        "@type": "ClaimReview",
                        "url": f"https://www.snopes.example/fact-check/{claim_id}",
                        "claimReviewed": text,
                        "headline": title,
                        "author": {"@type": "Organization", "name": "Snopes"},
                        "reviewRating": {"@type": "Rating", "alternateName": "Checked"},
                        "inLanguage": "en",
                    }
                ],
            }
            for claim_id, text, title in claims
        ],
    }


def query_all(client: Client, tweets) -> tuple[list[list[str]], list[float]]:
    ranked, times = [], []
    for _, text in tweets:
        started = time.perf_counter()
        response = client.get("/api/fact-checks/similar/", {"text": text, "limit": 5})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
        ranked.append([r["url"].rsplit("/", 1)[1] for r in response.json()["results"]])
    return ranked, times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def add_synthetic(total: int, vocabulary: list[str]) -> None:
    """Fact-checks of random words with random unit vectors, up to `total` rows (COPY, in chunks)."""
    from matching.encoder import DIMENSIONS, MODEL_NAME

    rng = np.random.default_rng(20201)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM matching_factcheck")
        have = cursor.fetchone()[0]
    chunk = 20_000
    now = timezone.now()
    while have < total:
        n = min(chunk, total - have)
        vectors = rng.standard_normal((n, DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        picks = rng.integers(0, len(vocabulary), size=(n, 14))
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY matching_factcheck (url, publisher_name, publisher_url, claim_reviewed, headline, rating_name, "
                "claimant, appearance_urls, origin, imported_at, updated_at, embedding, embedding_model) FROM STDIN"
            ) as copy,
        ):
            for i in range(n):
                text = " ".join(vocabulary[j] for j in picks[i])
                copy.write_row(
                    (
                        f"https://synthetic.example/{have + i}",
                        "Synthetic",
                        "",
                        text,
                        "",
                        "False",
                        "",
                        "[]",
                        "file",
                        now,
                        now,
                        vectors[i].astype("<f2").tobytes(),
                        MODEL_NAME,
                    )
                )
        have += n
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE matching_factcheck")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="corpus sizes to time after the quality run ('' for none)")
    parser.add_argument("--no-links", action="store_true", help="skip the run with the train tweets linked")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} is not here: the benchmark reads CheckThat! 2020 Task 2 from ../shared/data.")
    claims, tweets, relevant = load()
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = "factcheck_bench_matching"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth import get_user_model

        from annotations.services import role_assign
        from matching import search
        from matching.embedding import embed_pending

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "snopes-feed.json"
            path.write_text(json.dumps(feed(claims)), encoding="utf-8")
            started = time.perf_counter()
            call_command("import_claimreviews", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
            import_s = time.perf_counter() - started
        started = time.perf_counter()
        embedded_rows = embed_pending()
        embed_s = time.perf_counter() - started
        print(
            f"imported {len(claims):,} ClaimReviews in {import_s:.1f} s; "
            f"embedded {embedded_rows:,} in {embed_s:.0f} s "
            f"({embed_s / max(embedded_rows, 1) * 1000:.1f} ms each)"
        )

        user = get_user_model().objects.create_user("bench", password="bench-password")
        role_assign(user=user, role="Editors")
        client = Client()
        client.force_login(user)
        client.get("/api/fact-checks/similar/", {"text": "warm up the encoder and the kept vectors"})

        ranked, times = query_all(client, tweets)
        ours = statistics.mean(average_precision_at_5(r, relevant[t[0]]) for r, t in zip(ranked, tweets, strict=True))
        started = time.perf_counter()
        bm25 = BM25([f"{text} {title}" for _, text, title in claims])
        ids = [claim_id for claim_id, _, _ in claims]
        bm25_ranked = [[ids[i] for i in bm25.top(text)] for _, text in tweets]
        bm25_ms = (time.perf_counter() - started) * 1000 / len(tweets)
        floor = statistics.mean(
            average_precision_at_5(r, relevant[t[0]]) for r, t in zip(bm25_ranked, tweets, strict=True)
        )
        print(f"\n{'ranking (dev, ' + str(len(tweets)) + ' tweets)':<40} {'MAP@5':>6} {'ms/query p50':>12} {'p95':>6}")
        print(f"{'BM25 (claim + title, in memory)':<40} {floor:>6.3f} {bm25_ms:>12.1f} {'':>6}")
        print(
            f"{'GET /api/fact-checks/similar/':<40} {ours:>6.3f} {statistics.median(times):>12.1f} {p95(times):>6.1f}"
        )
        print(f"ratio to BM25: {ours / floor:.2f}")
        from matching.encoder import encoder

        encode_times = []
        for _, text in tweets:
            started = time.perf_counter()
            encoder().encode([text])
            encode_times.append((time.perf_counter() - started) * 1000)
        print(
            f"floor, the sentence model alone on each tweet: p50 {statistics.median(encode_times):.1f} ms, "
            f"p95 {p95(encode_times):.1f} ms (API p50 / model p50: "
            f"{statistics.median(times) / statistics.median(encode_times):.2f})"
        )

        if not args.no_links:
            started = time.perf_counter()
            links = link_train_tweets(user)
            link_s = time.perf_counter() - started
            embedded_rows = embed_pending()
            linked, linked_times = query_all(client, tweets)
            with_links = statistics.mean(
                average_precision_at_5(r, relevant[t[0]]) for r, t in zip(linked, tweets, strict=True)
            )
            print(
                f"{'same, the train tweets linked':<40} {with_links:>6.3f} {statistics.median(linked_times):>12.1f} "
                f"{p95(linked_times):>6.1f}   ({links} claims linked in {link_s:.0f} s, {embedded_rows} wordings)"
            )

        vocabulary = sorted({w for _, text, title in claims for w in words(f"{text} {title}")})
        for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
            started = time.perf_counter()
            add_synthetic(size, vocabulary)
            fill_s = time.perf_counter() - started
            search.VECTORS.forget()  # load them whole, as a new process does (and past 50k, project them)
            started = time.perf_counter()
            client.get("/api/fact-checks/similar/", {"text": "load the kept vectors"})
            load_s = time.perf_counter() - started
            _, times = query_all(client, tweets)
            projected = 0 if search.VECTORS.coarse is None else search.VECTORS.coarse.nbytes
            print(
                f"{size:>9,} fact-checks: p50 {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms, "
                f"p50 / model p50 {statistics.median(times) / statistics.median(encode_times):.2f} "
                f"(filled in {fill_s:.0f} s; a new process loads the vectors in {load_s:.1f} s, "
                f"{search.VECTORS.matrix.nbytes / 2**20:.0f} MB of vectors, {projected / 2**20:.0f} MB projected)"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
