"""Has this been checked already? The fact-checks of the corpus nearest to a text, best first.

Method (measured in bench/matching.py on CheckThat! 2020 Task 2):
1. The text's sentence embedding (matching.encoder) against every fact-check's vector, kept in this process as one
   float32 matrix and brought up to date from PostgreSQL before each search (CorpusVectors: a new import shows at
   once; the first search of a process loads the corpus). The top CANDIDATES by cosine
   are the candidates: the vector finds paraphrases that share no word with the text. A fact-check's vectors are its
   own (statement and headline) and its wordings': the quotes of the claims the desk linked to it as the same claim
   (SameClaim), each the words a claim circulated in; it scores by the nearest of them (bench/matching.py: the train
   tweets linked lift MAP@5 on the dev tweets, see the README).
2. Beside them, the rows not embedded yet (imported a moment ago) that share words with the text, by the stored
   tsvector, so a fresh import is found before the worker embeds it. The kept vectors know which rows those are
   (CorpusVectors.unembedded): none, the usual case, costs nothing; a few are searched by id; a large import waiting
   for the worker by the partial GIN index of such rows (whose entries for rows embedded since stay until VACUUM:
   read only when it must, as a scan of it then costs ~20 ms at 10k rows).
3. Each candidate's score is its cosine plus LEXICAL_WEIGHT times its Okapi BM25 for the text's words (from the
   stored tsvector; document frequencies from ts_stat, kept beside the vectors), normalised by the best among the
   candidates: the words the text shares with the fact-check settle near ties between paraphrases. BM25 rather than
   ts_rank_cd: its idf weighs a rare shared name above a common word (bench/matching.py: MAP@5 0.887 on the dev
   tweets, the cosine alone 0.829).
4. The same fact-check listed twice (one claim reviewed under two urls by the same publisher, as feeds re-list
   articles: straight or curly quotes aside, the same statement and headline) is one result, shown as the copy
   imported first, at the better score of the two: a desk wants the fact-check once, and the copy it already knew
   keeps its place when a feed re-lists it.

Vectors live in PostgreSQL (matching_factcheck.embedding, float16). The server here has no pgvector; where it has,
the scan in step 1 is what an HNSW index would replace, and everything else stays.
"""

from __future__ import annotations

import datetime
import math
import re
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef

from annotations import desk_version
from annotations.languages import ALL_SEARCH_CONFIGS

from .encoder import DIMENSIONS, MODEL_NAME, encoder, from_bytes, one_thread
from .models import FactCheck, SameClaim

CANDIDATES = 100
LEXICAL_CANDIDATES = 20
# Past COARSE_FROM rows the scan of step 1 reads a projection of the vectors on their COARSE_DIMENSIONS principal
# directions (a third of the bytes: the scan is bound by memory) for a shortlist of SHORTLIST * CANDIDATES, whose
# exact cosines then pick the candidates. Measured on CheckThat! 2020 with 90k random rows added: the exact top 5
# of every dev tweet kept, 98% of the top 100 (bench/matching.py times it).
COARSE_FROM = 50_000
COARSE_DIMENSIONS = 128
COARSE_SAMPLE = 20_000  # rows the principal directions are computed from (an SVD of 20k x 384: ~1 s)
SHORTLIST = 4
UNEMBEDDED_BY_ID = 5000  # up to this many rows waiting for a vector, step 2 reads them by id
LEXICAL_WEIGHT = 0.2
BM25_K1 = 1.2  # Okapi BM25's usual constants: bench/matching.py found no better pair on the train tweets
BM25_B = 0.75
MAX_LIMIT = 50


class CorpusVectors:
    """The corpus's vectors in memory: ids and a matrix, brought up to date before each search.

    - Nothing changed: the desk version (annotations.desk_version, moved by every write to the corpus's table) is
      the one this memory was read under, so no query beyond that one.
    - Otherwise the rows written since the newest `updated_at` held, less OVERLAP, are read again: `updated_at` is set
      by the writer before its transaction commits, so a row can become visible after a newer one was read; the
      overlap covers the corpus's short write transactions (an import batch, an embedding batch), and a full reload
      every FULL_RELOAD covers anything longer.
    - A deleted row leaves a stale vector behind, which `similar` notices (the row is missing) and answers with a
      full reload at the next search.
    """

    OVERLAP = datetime.timedelta(minutes=2)
    FULL_RELOAD = 15 * 60.0

    def __init__(self):
        self.lock = threading.Lock()
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.wordings = np.zeros(0, dtype=bool)  # per row: a wording of its fact-check, not its own vector
        self.basis = None  # (DIMENSIONS, COARSE_DIMENSIONS) principal directions, from the last full load, or None
        self.coarse = None  # matrix @ basis
        self.newest = None  # the newest updated_at held
        self.version = None  # the desk version it was read under (None: unknown)
        self.loaded_at = None  # time.monotonic() of the last full load
        self.terms = CorpusTerms()
        # The rows seen without a vector (imported, not embedded yet): the only ones step 2 has to search by words.
        self.unembedded: frozenset[int] = frozenset()

    def forget(self) -> None:
        with self.lock:
            self.loaded_at = self.version = None

    def refresh(self) -> None:
        # The request's version if it read one (the session's check did), else a read of its own.
        version = desk_version.current() or desk_version.read()
        with self.lock:
            stale = self.loaded_at is None or time.monotonic() - self.loaded_at > self.FULL_RELOAD
            if not stale and version is not None and version == self.version:
                return
            if stale:
                self._load(None)
                self.terms = CorpusTerms.read()
                self.loaded_at = time.monotonic()
            else:
                self._load(None if self.newest is None else self.newest - self.OVERLAP)
            self.version = version

    def _load(self, since) -> None:
        rows = FactCheck.objects.all()
        if since is None:
            self.ids, self.matrix, self.coarse = np.zeros(0, dtype=np.int64), self.matrix[:0], None
            self.wordings = self.wordings[:0]
        else:
            rows = rows.filter(updated_at__gte=since)
        # A fact-check's rows are its own vector and its wordings' (same-claim links, read in the same query): a link
        # made, changed or embedded moves the fact-check's updated_at, so the fact-check is read again whole.
        wordings = ArraySubquery(
            SameClaim.objects.filter(fact_check=OuterRef("pk"), embedding_model=MODEL_NAME, embedding__isnull=False)
            .order_by("id")
            .values("embedding")
        )
        changed = list(
            rows.annotate(wordings=wordings)
            .values_list("id", "embedding", "embedding_model", "updated_at", "wordings")
            .iterator(chunk_size=5000)
        )
        if changed:
            newest = max(row[3] for row in changed)
            self.newest = newest if self.newest is None or since is None else max(self.newest, newest)
        elif since is None:
            self.newest = None
        embedded = {pk for pk, vec, model, _, _ in changed if vec is not None and model == MODEL_NAME}
        fresh_ids, fresh_vectors, fresh_wordings = [], [], []
        for pk, vec, _, _, linked in changed:
            if pk in embedded:
                fresh_ids.append(pk)
                fresh_vectors.append(bytes(vec))
                fresh_wordings.append(False)
            for wording in linked or ():
                fresh_ids.append(pk)
                fresh_vectors.append(bytes(wording))
                fresh_wordings.append(True)
        seen = {row[0] for row in changed}
        waiting = seen - embedded
        self.unembedded = frozenset(waiting if since is None else (self.unembedded - seen) | waiting)
        keep = [i for i, pk in enumerate(self.ids.tolist()) if pk not in seen]
        # One buffer of float16 rows, converted once: a million vectors load without a million small arrays.
        fresh = from_bytes(b"".join(fresh_vectors)).reshape(-1, DIMENSIONS)
        matrix = np.ascontiguousarray(np.vstack([self.matrix[keep], fresh]), dtype=np.float32)
        ids = self.ids[keep].tolist() + fresh_ids
        if since is None:
            self.basis = _principal_directions(matrix) if len(ids) >= COARSE_FROM else None
        if self.basis is not None:  # the rows kept keep their projection; the fresh ones get theirs
            with one_thread():
                projected = fresh @ self.basis
            self.coarse = projected if self.coarse is None else np.vstack([self.coarse[keep], projected])
        self.ids = np.array(ids, dtype=np.int64)
        self.matrix = matrix
        self.wordings = np.concatenate([self.wordings[keep], np.array(fresh_wordings, dtype=bool)])

    def nearest(self, vector: np.ndarray, k: int) -> dict[int, float]:
        """The k fact-checks nearest to the vector, each by its best row (own vector or a wording)."""
        with self.lock:
            ids, matrix, basis, coarse = self.ids, self.matrix, self.basis, self.coarse
            repeated = int(np.count_nonzero(self.wordings))  # at most as many rows repeat a fact-check
        if not len(ids):
            return {}
        wanted = k
        # Rows of one fact-check may fill several of the best places: take as many more rows as there are repeats,
        # up to 3k more (a fact-check with more wordings than that among the best can leave fewer than k).
        k = min(k + min(repeated, 3 * k), len(ids))
        with one_thread():  # see encoder.encode: BLAS threads only fight the other processes
            if coarse is None or len(ids) <= SHORTLIST * k:
                rows, scores = None, matrix @ vector
            else:
                approximate = coarse @ (vector @ basis)
                rows = np.argpartition(-approximate, SHORTLIST * k - 1)[: SHORTLIST * k]
                scores = matrix[rows] @ vector
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]  # best first: a fact-check's first row is its best
        positions = top if rows is None else rows[top]
        best: dict[int, float] = {}
        for i, j in zip(positions.tolist(), top.tolist(), strict=True):
            best.setdefault(int(ids[i]), float(scores[j]))
            if len(best) == wanted:  # as many candidates as without wordings
                break
        return best


def _principal_directions(matrix: np.ndarray) -> np.ndarray:
    """The COARSE_DIMENSIONS directions that keep most of the vectors' dot products (SVD of a sample, uncentred)."""
    rng = np.random.default_rng(0)  # the same sample for the same corpus: a reload ranks as the last one did
    sample = matrix if len(matrix) <= COARSE_SAMPLE else matrix[rng.choice(len(matrix), COARSE_SAMPLE, replace=False)]
    with one_thread():
        _, _, directions = np.linalg.svd(sample, full_matrices=False)
    return np.ascontiguousarray(directions[:COARSE_DIMENSIONS].T)


@dataclass(frozen=True)
class CorpusTerms:
    """What BM25 needs of the whole corpus: in how many fact-checks each lexeme is, and their average length.

    Read with the vectors' full load (at a process's first search and every FULL_RELOAD), not at each change: these
    are statistics of the whole corpus, which an import of a few rows barely moves, and a lexeme new since is
    counted as in one fact-check (rare: a high weight, as a new name deserves)."""

    documents: int = 0
    average_length: float = 1.0
    frequency: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls) -> CorpusTerms:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM matching_factcheck WHERE search IS NOT NULL")
            documents = cursor.fetchone()[0]
            cursor.execute("SELECT word, ndoc, nentry FROM ts_stat('SELECT search FROM matching_factcheck')")
            frequency, entries = {}, 0
            for word, ndoc, nentry in cursor.fetchall():
                frequency[word] = ndoc
                entries += nentry
        return cls(documents, entries / documents if documents else 1.0, frequency)

    def idf(self, lexeme: str) -> float:
        n = max(self.documents, 1)
        df = min(self.frequency.get(lexeme, 1), n)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


VECTORS = CorpusVectors()


# The text's lexemes in every configuration (a query's language is not known: each one's stems are tried). The
# configurations are our constants, not input.
_LEXEMES = " UNION ".join(
    f"SELECT lexeme FROM unnest(to_tsvector('{c}', %(text)s))"  # noqa: S608
    for c in ALL_SEARCH_CONFIGS
)
# One row per fact-check found: its words (step 4), the query lexemes it holds with how often, and its length.
_FREQUENCIES = """
    SELECT f.id, f.publisher_name, f.claim_reviewed, f.headline, shared.lexemes, shared.counts, shared.length
    FROM found JOIN matching_factcheck f USING (id) CROSS JOIN LATERAL (
        SELECT array_agg(lexeme) FILTER (WHERE asked) AS lexemes, array_agg(n) FILTER (WHERE asked) AS counts,
               sum(n) AS length
        FROM (SELECT lexeme, coalesce(cardinality(positions), 1) AS n, lexeme IN (SELECT lexeme FROM words) AS asked
              FROM unnest(f.search)) word
    ) shared
"""


def _tsquery(lexemes: list[str]) -> str:
    """A tsquery that matches any of the lexemes, each quoted: a lexeme may hold '&' or a quote."""
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " | ".join(quoted)


def _lexical(
    text: str, candidates: list[int], terms: CorpusTerms, unembedded: frozenset[int] = frozenset()
) -> tuple[dict[int, float], dict[int, tuple[str, str, str]]]:
    """Okapi BM25 for the text's words, of the candidates and of the best rows not embedded yet that hold any; and
    the publisher, statement and headline of every row found (a deleted candidate is missing)."""
    words, waiting, parameters = _LEXEMES, "", {"text": text, "ids": candidates}
    with connection.cursor() as cursor:
        if unembedded:  # the words as a tsquery first, for an index to find the rows waiting for a vector
            cursor.execute(_LEXEMES, parameters)
            lexemes = sorted(row[0] for row in cursor.fetchall())
            words = "SELECT unnest(%(lexemes)s::text[]) AS lexeme"
            parameters |= {"lexemes": lexemes, "words": _tsquery(lexemes), "waiting": sorted(unembedded)}
            if lexemes:
                # A few by id; many by the partial index factcheck_unembedded_search.
                rows = "id = ANY(%(waiting)s)" if len(unembedded) <= UNEMBEDDED_BY_ID else "embedding IS NULL"
                waiting = f"""UNION (SELECT id FROM matching_factcheck WHERE {rows} AND search @@ %(words)s::tsquery
                    ORDER BY ts_rank_cd(search, %(words)s::tsquery) DESC LIMIT {LEXICAL_CANDIDATES})"""  # noqa: S608
        cursor.execute(
            f"WITH words AS ({words}), found AS (SELECT unnest(%(ids)s::bigint[]) AS id {waiting}) {_FREQUENCIES}",
            parameters,
        )
        found = cursor.fetchall()
    scores: dict[int, float] = {}
    texts: dict[int, tuple[str, str, str]] = {}
    for pk, publisher, statement, headline, lexemes, counts, length in found:
        texts[pk] = (publisher, statement, headline)
        if not lexemes:
            continue
        norm = BM25_K1 * (1 - BM25_B + BM25_B * float(length) / terms.average_length)
        scores[pk] = sum(
            terms.idf(lexeme) * tf * (BM25_K1 + 1) / (tf + norm) for lexeme, tf in zip(lexemes, counts, strict=True)
        )
    return scores, texts


_QUOTES = re.compile(r"[\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb]")


def _same_fact_check(publisher: str, statement: str, headline: str) -> tuple[str, ...]:
    """What two listings of one fact-check share: its publisher, statement and headline, quotes and case aside."""
    return tuple(" ".join(_QUOTES.sub("", text).casefold().split()) for text in (publisher, statement, headline))


@dataclass(frozen=True)
class Match:
    fact_check: FactCheck
    score: float


def similar(text: str, limit: int = 5) -> list[Match]:
    """The fact-checks nearest to `text`, best first (at most `limit`)."""
    VECTORS.refresh()
    vector = encoder().encode([text])[0]
    cosines = VECTORS.nearest(vector, CANDIDATES)
    ranks, texts = _lexical(text, list(cosines), VECTORS.terms, VECTORS.unembedded)
    best_rank = max(ranks.values(), default=0.0) or 1.0
    missing = [pk for pk in ranks if pk not in cosines]
    if missing:  # lexical finds without a kept vector: score them by their stored one, if any, else 0
        for pk, vec in FactCheck.objects.filter(pk__in=missing, embedding_model=MODEL_NAME).values_list(
            "pk", "embedding"
        ):
            if vec is not None:
                cosines[pk] = float(from_bytes(bytes(vec)) @ vector)
    scores = {pk: cosines.get(pk, 0.0) + LEXICAL_WEIGHT * ranks.get(pk, 0.0) / best_rank for pk in cosines | ranks}
    if len(texts) < len(scores):
        VECTORS.forget()  # a kept vector of a deleted row: reload at the next search
    # The copies of one fact-check are told apart by their words (step 4 above).
    best: dict[tuple[str, ...], tuple[float, int]] = {}
    for pk, words in texts.items():
        key = _same_fact_check(*words)
        score, first = best.get(key, (scores[pk], pk))
        best[key] = (max(score, scores[pk]), min(first, pk))
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1]))[:limit]
    rows = FactCheck.objects.defer("embedding", "search").in_bulk([pk for _, pk in ranked])
    return [Match(rows[pk], round(score, 4)) for score, pk in ranked if pk in rows]
