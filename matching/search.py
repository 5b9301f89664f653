"""Has this been checked already? The fact-checks of the corpus nearest to a text, best first.

Method (measured in bench/matching.py on CheckThat! 2020 Task 2):
1. The text's sentence embedding (matching.encoder) against every fact-check's vector, kept in this process as one
   float32 matrix and brought up to date from PostgreSQL before each search (CorpusVectors: a new import shows at
   once; the first search of a process loads the corpus). The top CANDIDATES by cosine
   are the candidates: the vector finds paraphrases that share no word with the text.
2. Beside them, the rows not embedded yet (imported a moment ago) that share words with the text, by the stored
   tsvector (a partial GIN index of just those rows), so a fresh import is found before the worker embeds it.
3. Each candidate's score is its cosine plus LEXICAL_WEIGHT times its ts_rank_cd, normalised by the best rank among
   the candidates: the words the text shares with the fact-check settle near ties between paraphrases.

Vectors live in PostgreSQL (matching_factcheck.embedding, float16). The server here has no pgvector; where it has,
the scan in step 1 is what an HNSW index would replace, and everything else stays.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.db import connection
from threadpoolctl import threadpool_limits

from annotations import desk_version
from annotations.languages import ALL_SEARCH_CONFIGS

from .encoder import DIMENSIONS, MODEL_NAME, encoder, from_bytes
from .models import FactCheck

CANDIDATES = 100
LEXICAL_CANDIDATES = 20
LEXICAL_WEIGHT = 0.2
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
        self.position: dict[int, int] = {}
        self.newest = None  # the newest updated_at held
        self.version = None  # the desk version it was read under (None: unknown)
        self.loaded_at = None  # time.monotonic() of the last full load

    def forget(self) -> None:
        with self.lock:
            self.loaded_at = self.version = None

    def refresh(self) -> None:
        version = desk_version.read()
        with self.lock:
            stale = self.loaded_at is None or time.monotonic() - self.loaded_at > self.FULL_RELOAD
            if not stale and version is not None and version == self.version:
                return
            if stale:
                self._load(None)
                self.loaded_at = time.monotonic()
            else:
                self._load(None if self.newest is None else self.newest - self.OVERLAP)
            self.version = version

    def _load(self, since) -> None:
        rows = FactCheck.objects.all()
        if since is None:
            self.ids, self.matrix, self.position = np.zeros(0, dtype=np.int64), self.matrix[:0], {}
        else:
            rows = rows.filter(updated_at__gte=since)
        changed = list(rows.values_list("id", "embedding", "embedding_model", "updated_at").iterator(chunk_size=5000))
        if changed:
            newest = max(row[3] for row in changed)
            self.newest = newest if self.newest is None or since is None else max(self.newest, newest)
        elif since is None:
            self.newest = None
        fresh_ids = [pk for pk, vec, model, _ in changed if vec is not None and model == MODEL_NAME]
        # One buffer of float16 rows, converted once: a million vectors load without a million small arrays.
        fresh = b"".join(bytes(vec) for _, vec, model, _ in changed if vec is not None and model == MODEL_NAME)
        seen = {row[0] for row in changed}
        kept = [pk for pk in self.ids.tolist() if pk not in seen]
        matrix = np.vstack(
            [
                self.matrix[[self.position[pk] for pk in kept]],
                from_bytes(fresh).reshape(-1, DIMENSIONS),
            ]
        )
        ids = kept + fresh_ids
        self.ids = np.array(ids, dtype=np.int64)
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.position = {pk: i for i, pk in enumerate(ids)}

    def nearest(self, vector: np.ndarray, k: int) -> dict[int, float]:
        with self.lock:
            ids, matrix = self.ids, self.matrix
        if not len(ids):
            return {}
        with threadpool_limits(limits=1):  # see encoder.encode: BLAS threads only fight the other processes
            scores = matrix @ vector
        k = min(k, len(ids))
        top = np.argpartition(-scores, k - 1)[:k]
        return {int(ids[i]): float(scores[i]) for i in top}


VECTORS = CorpusVectors()


def _words(text: str) -> str:
    """The text's lexemes in every configuration, as a tsquery that matches any of them ('' when there are none).

    Built here rather than by rewriting plainto_tsquery's text in SQL: a lexeme may hold '&' or a quote."""
    # The configurations are our constants, not input.
    selects = " UNION ".join(
        f"SELECT lexeme FROM unnest(to_tsvector('{c}', %(text)s))"  # noqa: S608
        for c in ALL_SEARCH_CONFIGS
    )
    with connection.cursor() as cursor:
        cursor.execute(selects, {"text": text})
        lexemes = sorted(row[0] for row in cursor.fetchall())
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " | ".join(quoted)


def _lexical(text: str, candidates: list[int]) -> dict[int, float]:
    """ts_rank_cd for the text's words: of the candidates, and of the best rows not embedded yet that hold any."""
    words = _words(text)
    if not words:
        return {}
    sql = f"""
        SELECT id, ts_rank_cd(search, %(words)s::tsquery) FROM matching_factcheck WHERE id = ANY(%(ids)s)
        UNION
        (SELECT id, ts_rank_cd(search, %(words)s::tsquery) FROM matching_factcheck
         WHERE embedding IS NULL AND search @@ %(words)s::tsquery ORDER BY 2 DESC LIMIT {LEXICAL_CANDIDATES})
    """  # noqa: S608 (the limit is our constant)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": candidates, "words": words})
        return {pk: float(rank) for pk, rank in cursor.fetchall()}


@dataclass(frozen=True)
class Match:
    fact_check: FactCheck
    score: float


def similar(text: str, limit: int = 5) -> list[Match]:
    """The fact-checks nearest to `text`, best first (at most `limit`)."""
    VECTORS.refresh()
    vector = encoder().encode([text])[0]
    cosines = VECTORS.nearest(vector, CANDIDATES)
    ranks = _lexical(text, list(cosines))
    best_rank = max(ranks.values(), default=0.0) or 1.0
    missing = [pk for pk in ranks if pk not in cosines]
    if missing:  # lexical finds without a kept vector: score them by their stored one, if any, else 0
        for pk, vec in FactCheck.objects.filter(pk__in=missing, embedding_model=MODEL_NAME).values_list(
            "pk", "embedding"
        ):
            if vec is not None:
                cosines[pk] = float(from_bytes(bytes(vec)) @ vector)
    scores = {pk: cosines.get(pk, 0.0) + LEXICAL_WEIGHT * ranks.get(pk, 0.0) / best_rank for pk in cosines | ranks}
    best = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    rows = FactCheck.objects.in_bulk(best)
    if len(rows) < len(best):
        VECTORS.forget()  # a kept vector of a deleted row: reload at the next search
    return [Match(rows[pk], round(scores[pk], 4)) for pk in best if pk in rows]
