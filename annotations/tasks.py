"""Celery tasks: thin wrappers that fetch by id and call a service."""

from celery import shared_task

from . import services

# --- Re-anchoring claims on a new revision ------------------------------------------------------------------------


@shared_task(name="annotations.reanchor_article")
def reanchor_article_task(article_id: int, revision_id: int) -> dict:
    # Idempotent and a no-op once a newer revision exists, so redelivery (acks_late) is harmless.
    result = services.reanchor_article(article_id=article_id, revision_id=revision_id)
    return {"revision_id": result.revision_id, "skipped": result.skipped, "changed": result.changed}
