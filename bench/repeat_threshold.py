"""The score from which a claim's best match counts as the same claim, already checked (the reader's flag).

Run from the repository root: ``.venv/bin/python bench/repeat_threshold.py``. Reads ../shared/data/claim-matching
(CheckThat! 2020 Task 2) in place. In a throwaway database (`factcheck_bench_repeat`), the verified claims are the
corpus, as in bench/matching.py; the train and dev tweets are the claims a desk would make. Half of the tweets keep
their verified claim in the corpus, the other half lose it (so their best match is necessarily another claim). For
every tweet, the best match of matching.search.similar (what matching.services.claim_matches stores) is right or
wrong: the script prints, for thresholds of the score, how many best matches over it are right (precision) and how
many of the right ones are over it (recall), and the lowest threshold at 95% and 99% precision.

Tweets are longer and noisier than a desk's short statements (75 characters): their right matches score lower, so
a threshold read here errs on the side of flagging less. And Snopes checked many claims more than once: a "wrong"
best match is often the same claim under another id (the script prints the highest-scoring ones), so the precision
printed is a floor.

Measured (870 tweets, 10,048 verified claims; best match right for 441): right best matches score 0.65 / 0.78 /
0.87 / 0.95 / 1.04 at 5/25/50/75/95%, wrong ones 0.54 / 0.62 / 0.69 / 0.78 / 0.95; at 0.8, 393 are flagged, 78% of
them right at least, 70% of the right ones. matching.claim_models.REPEAT_THRESHOLD is 0.8 and SHOWN_THRESHOLD 0.5.
"""

import csv
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "claim-matching"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

from factcheck import embedded  # noqa: E402

embedded.ensure_database_url()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

THRESHOLDS = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0]


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        return list(reader)


def tweets_and_gold() -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    tweets, gold = [], {}
    for part in ("train", "dev"):
        tweets += [(f"{part}-{t}", text) for t, text in rows(DATA / part / "tweets.queries.tsv")]
        for line in (DATA / part / "tweet-vclaim-pairs.qrels").read_text().splitlines():
            tweet, _, claim, _ = line.split()
            gold.setdefault(f"{part}-{tweet}", set()).add(claim)
    return tweets, gold


def records(claims):
    from matching.claimreview_record import FactCheckRecord

    for claim_id, text, title in claims:
        yield FactCheckRecord(
            url=f"https://www.snopes.example/fact-check/{claim_id}",
            claim_reviewed=text,
            headline=title,
            publisher_name="Snopes",
            rating_name="Checked",
            language="en",
        )


def precision_over(best, threshold: float) -> float:
    over = [ok for score, ok, _, _ in best if score >= threshold]
    return sum(over) / len(over) if over else 0.0


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"{DATA} is not here: the benchmark reads CheckThat! 2020 Task 2 from ../shared/data.")
    claims = [[*r, "", ""][:3] for r in rows(DATA / "verified_claims.docs.tsv")]
    tweets, gold = tweets_and_gold()
    random.Random(2020).shuffle(tweets)
    kept, lost = tweets[: len(tweets) // 2], tweets[len(tweets) // 2 :]
    needed = {c for t, _ in kept for c in gold[t]}
    removed = {c for t, _ in lost for c in gold[t]} - needed
    lost = [(t, text) for t, text in lost if gold[t] <= removed]  # their verified claim is really gone
    corpus = [c for c in claims if c[0] not in removed and c[1].strip()]
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = "factcheck_bench_repeat"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from matching import search, services
        from matching.embedding import embed_pending

        started = time.perf_counter()
        services.factchecks_import(actor=None, items=records(corpus))
        embedded_rows = embed_pending()
        print(
            f"corpus: {len(corpus):,} verified claims ({len(removed)} removed), embedded {embedded_rows:,} in "
            f"{time.perf_counter() - started:.0f} s"
        )
        best = []  # (score, right, tweet, the statement matched)
        for tweet, text in kept + lost:
            found = search.similar(text, 1)
            if found:
                claim_id = found[0].fact_check.url.rsplit("/", 1)[1]
                best.append((found[0].score, claim_id in gold[tweet], text, found[0].fact_check.claim_reviewed))
        right = sum(1 for _, ok, _, _ in best if ok)
        print(f"{len(kept)} tweets with their claim in the corpus, {len(lost)} without; best match right for {right}")
        print(f"\n{'score >=':>8} {'flagged':>8} {'precision':>9} {'recall':>7}")
        for threshold in THRESHOLDS:
            over = [ok for score, ok, _, _ in best if score >= threshold]
            precision = sum(over) / len(over) if over else 1.0
            print(f"{threshold:>8.2f} {len(over):>8} {precision:>9.3f} {sum(over) / right:>7.3f}")
        for goal in (0.9, 0.95):
            reached = [t / 100 for t in range(30, 151) if precision_over(best, t / 100) >= goal]
            print(f"lowest threshold at {goal:.0%} precision: {reached[0] if reached else 'none'}")
        rights = sorted(score for score, ok, _, _ in best if ok)
        wrongs = sorted(score for score, ok, _, _ in best if not ok)
        for name, scores in (("right", rights), ("wrong", wrongs)):
            quartiles = " ".join(f"{scores[int(q * (len(scores) - 1))]:.2f}" for q in (0.05, 0.25, 0.5, 0.75, 0.95))
            print(f"best matches {name:>5} ({len(scores)}): score at 5/25/50/75/95%: {quartiles}")
        print("\nthe highest-scoring wrong best matches (often the same claim, checked twice by Snopes):")
        for score, _, text, matched in sorted((b for b in best if not b[1]), reverse=True)[:8]:
            print(f"  {score:.2f}  {text[:70]!r}\n        -> {matched[:70]!r}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
