"""Has this been checked already? The fact-checks of the corpus nearest to a text, best first.

Method (measured in bench/matching.py on CheckThat! 2020 Task 2):
1. The text's sentence embedding (matching.encoder) against every fact-check's vector, kept in this process as one
   float32 matrix and brought up to date from PostgreSQL by `updated_at` before each search (a new import shows at
   once; the first search of a process loads the corpus: 100k rows in about a second). The top CANDIDATES by cosine
   are the candidates: the vector finds paraphrases that share no word with the text.
2. Beside them, the best lexical matches of the stored tsvector (GIN), so a fact-check quoting the text word for word
   is never missed for want of a vector (a row imported a moment ago and not embedded yet).
3. Each candidate's score is its cosine plus LEXICAL_WEIGHT times its ts_rank_cd, normalised by the best rank among
   the candidates: the words the text shares with the fact-check settle near ties between paraphrases.

Vectors live in PostgreSQL (matching_factcheck.embedding, float16). The server here has no pgvector; where it has,
the scan in step 1 is what an HNSW index would replace, and everything else stays.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.db import connection

from annotations.languages import ALL_SEARCH_CONFIGS

from .encoder import DIMENSIONS, MODEL_NAME, encoder, from_bytes
from .models import FactCheck

CANDIDATES = 100
LEXICAL_CANDIDATES = 20
LEXICAL_WEIGHT = 0.2
MAX_LIMIT = 50


class CorpusVectors:
    """The corpus's vectors in memory: ids and a matrix, brought up to date by `updated_at`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.position: dict[int, int] = {}
        self.stamp = None  # (max updated_at, row count) of what is loaded

    def refresh(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(updated_at), count(*) FROM matching_factcheck")
            newest, count = cursor.fetchone()
        with self.lock:
            if self.stamp == (newest, count):
                return
            if self.stamp is None or newest is None or self.stamp[0] is None:
                self._load(None)
            else:
                self._load(self.stamp[0])
                if len(self.position) != self._embedded_count():
                    self._load(None)  # rows were deleted: start again
            self.stamp = (newest, count)

    def _embedded_count(self) -> int:
        return FactCheck.objects.filter(embedding__isnull=False, embedding_model=MODEL_NAME).count()

    def _load(self, since) -> None:
        rows = FactCheck.objects.all()
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        else:
            self.ids, self.matrix, self.position = np.zeros(0, dtype=np.int64), self.matrix[:0], {}
        changed = list(rows.values_list("id", "embedding", "embedding_model").iterator(chunk_size=5000))
        keep = {pk: from_bytes(bytes(vec)) for pk, vec, model in changed if vec is not None and model == MODEL_NAME}
        gone = {pk for pk, vec, model in changed if pk not in keep}
        ids = [pk for pk in self.ids.tolist() if pk not in gone and pk not in keep]
        rows_kept = [self.position[pk] for pk in ids]
        new_ids = ids + list(keep)
        matrix = np.vstack(
            [self.matrix[rows_kept], np.array(list(keep.values()), dtype=np.float32).reshape(-1, DIMENSIONS)]
        )
        self.ids = np.array(new_ids, dtype=np.int64)
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.position = {pk: i for i, pk in enumerate(new_ids)}

    def nearest(self, vector: np.ndarray, k: int) -> dict[int, float]:
        with self.lock:
            ids, matrix = self.ids, self.matrix
        if not len(ids):
            return {}
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
    """ts_rank_cd for the text's words of the candidates, and of the best LEXICAL_CANDIDATES rows holding them all."""
    any_words = _words(text)
    if not any_words:
        return {}
    every_word = " || ".join(f"plainto_tsquery('{c}', %(text)s)" for c in ALL_SEARCH_CONFIGS)
    sql = f"""
        SELECT f.id, ts_rank_cd(f.search, %(words)s::tsquery) FROM matching_factcheck f WHERE f.id = ANY(%(ids)s)
        UNION
        (SELECT f.id, ts_rank_cd(f.search, %(words)s::tsquery) FROM matching_factcheck f
         WHERE f.search @@ ({every_word}) ORDER BY 2 DESC LIMIT {LEXICAL_CANDIDATES})
    """  # noqa: S608 (the configurations and the limit are our constants)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"text": text, "ids": candidates, "words": any_words})
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
    return [Match(rows[pk], round(scores[pk], 4)) for pk in best if pk in rows]
