"""Suggestions for a revision, the desk's dismissals, and retraining on the desk's history.

A suggestion is a sentence of the revision with its score; it is "claimed" when a (not withdrawn) claim's span on
this revision overlaps it, "dismissed" when an editor said no to it, on this revision or to the same sentence on an
earlier revision of the article (a new revision does not bring back what the desk already turned down).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from annotations import desk_version, roles
from annotations.models import ArticleRevision, Claim
from annotations.services.common import require
from annotations.worker_memory import WorkerMemory

from . import scorer, sentences, training
from .models import Dismissal, ScorerModel

logger = logging.getLogger(__name__)
# Ranked sentences by (revision, model): a revision's text never changes, so entries never go stale.
RANKINGS = WorkerMemory(128)
MODELS = WorkerMemory(4)


@cache
def default_model() -> scorer.Model:
    return scorer.load_default()


def _active_id() -> int | None:
    return ScorerModel.objects.filter(active=True).values_list("pk", flat=True).first()


def active_model() -> tuple[str, scorer.Model]:
    """(key, model): the desk's retrained model if one is active, else the default. Looked up once per desk version
    (a retraining moves it: checkworthiness is among desk_version.APPS)."""
    model_id = desk_version.remembered(("checkworthiness active model",), _active_id)
    if model_id is None:
        return "default", default_model()
    model = MODELS.get(model_id)
    if model is None:
        row = ScorerModel.objects.filter(pk=model_id).values_list("weights", flat=True).first()
        if row is None:  # replaced between the two reads
            return "default", default_model()
        model = scorer.Model.from_json(row)
        MODELS.put(model_id, model)
    return str(model_id), model


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    text: str
    score: float
    claimed: bool
    dismissed: bool


def ranked(revision: ArticleRevision) -> list[scorer.Suggestion]:
    key, model = active_model()
    found = RANKINGS.get((revision.pk, key))
    if found is None:
        found = scorer.rank(model, revision.text)
        RANKINGS.put((revision.pk, key), found)
    return found


def claimed_spans(revision: ArticleRevision) -> list[tuple[int, int]]:
    """Where the revision's live claims are: their own spans if made on it, their anchoring if re-anchored to it."""
    live = Claim.objects.filter(withdrawn_at__isnull=True)
    made = live.filter(revision=revision).values_list("start", "end")
    anchored = live.filter(anchor_revision=revision, anchor_start__isnull=False).values_list(
        "anchor_start", "anchor_end"
    )
    return list(made) + list(anchored)


def suggestions(
    revision: ArticleRevision, *, limit: int | None = None, claimed: bool | None = None, dismissed: bool | None = None
) -> list[Suggestion]:
    """The revision's sentences best first; `claimed`/`dismissed` keep only those with that flag; at most `limit`."""
    spans = claimed_spans(revision)
    refused = Dismissal.objects.filter(revision__article_id=revision.article_id).values_list(
        "revision_id", "start", "end", "text"
    )
    refused_spans = {(s, e) for r, s, e, _ in refused if r == revision.pk}
    refused_texts = {t for r, _, _, t in refused if r != revision.pk}
    out = []
    for item in ranked(revision):
        is_claimed = any(start < item.end and item.start < end for start, end in spans)
        is_dismissed = (item.start, item.end) in refused_spans or item.text in refused_texts
        if (claimed is None or claimed == is_claimed) and (dismissed is None or dismissed == is_dismissed):
            out.append(Suggestion(item.start, item.end, item.text, item.score, is_claimed, is_dismissed))
            if limit is not None and len(out) >= limit:
                break
    return out


def dismiss(*, actor, revision: ArticleRevision, start: int, end: int) -> tuple[Dismissal, bool]:
    """Record the actor's no to the sentence text[start:end] of `revision`; (dismissal, created). Dismissing it
    again changes nothing. ValidationError if the span is not one of the revision's sentences."""
    require(actor, *roles.DISMISS_SUGGESTIONS)
    sentence = next((s for s in sentences.split(revision.text) if (s.start, s.end) == (start, end)), None)
    if sentence is None:
        raise ValidationError(
            {"start": f"{start}..{end} is not a sentence of revision {revision.pk}: dismiss a suggestion's span."}
        )
    existing = Dismissal.objects.filter(revision=revision, start=start, end=end).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Dismissal.objects.create(
                revision=revision, start=start, end=end, text=sentence.text, dismissed_by=actor
            ), True
    except IntegrityError:  # dismissed by someone else at the same moment
        return Dismissal.objects.get(revision=revision, start=start, end=end), False


def desk_examples() -> list[tuple[str, int]]:
    """The desk's decisions as (sentence, label): sentences that live claims overlap (in the revision each claim
    was made on) are 1, dismissed ones 0; one example per article and sentence text, a claim outweighing a no."""
    claims: dict[int, list[tuple[int, int]]] = {}
    for revision_id, start, end in Claim.objects.filter(withdrawn_at__isnull=True).values_list(
        "revision_id", "start", "end"
    ):
        claims.setdefault(revision_id, []).append((start, end))
    refused: dict[int, list[tuple[int, int]]] = {}
    for revision_id, start, end in Dismissal.objects.values_list("revision_id", "start", "end"):
        refused.setdefault(revision_id, []).append((start, end))
    labels: dict[tuple[int, str], int] = {}
    wanted = Q(pk__in=claims.keys()) | Q(pk__in=refused.keys())
    for revision in ArticleRevision.objects.filter(wanted).only("pk", "article_id", "text").order_by("pk").iterator():
        for sentence, label in training.sentence_labels(
            revision.text, claims.get(revision.pk, []), refused.get(revision.pk, [])
        ):
            key = (revision.article_id, sentence.text)
            labels[key] = max(labels.get(key, 0), label)
    return [(text, label) for (_, text), label in sorted(labels.items())]


def fingerprint(examples: list[tuple[str, int]]) -> str:
    digest = hashlib.sha256(json.dumps(default_model().to_json(), sort_keys=True).encode())
    digest.update(json.dumps(examples, ensure_ascii=False).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Retraining:
    model: ScorerModel | None  # the active model afterwards (None: the default)
    trained: bool  # False: no history, or the same history as the active model's
    positives: int
    negatives: int


def retrain() -> Retraining:
    """Retrain on the desk's history on top of the default and make the result the active model. With no history
    the default stays; with the same history as the active model's nothing is done."""
    examples = desk_examples()
    positives = sum(label for _, label in examples)
    negatives = len(examples) - positives
    active = ScorerModel.objects.filter(active=True).first()
    if not examples:
        return Retraining(active, False, 0, 0)
    digest = fingerprint(examples)
    if active is not None and active.fingerprint == digest:
        return Retraining(active, False, positives, negatives)
    model = training.train_on_top(default_model(), examples)
    with transaction.atomic(), connection.cursor() as cursor:
        # Two retrainings at once (the command beside the periodic task) take turns; the last one stays active.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('checkworthiness.retrain'))")
        ScorerModel.objects.filter(active=True).update(active=False)
        row = ScorerModel.objects.create(
            weights=model.to_json(), positives=positives, negatives=negatives, fingerprint=digest, active=True
        )
    logger.info("check-worthiness model %s trained on %s claimed and %s dismissed", row.pk, positives, negatives)
    return Retraining(row, True, positives, negatives)
