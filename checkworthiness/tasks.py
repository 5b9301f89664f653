"""The periodic retraining (Celery beat: CELERY_BEAT_SCHEDULE "retrain-checkworthiness")."""

from celery import shared_task

from . import services

RETRAIN = "checkworthiness.retrain"  # CELERY_TASK_ROUTES and CELERY_BEAT_SCHEDULE use the same name


@shared_task(name=RETRAIN)
def retrain() -> dict:
    # Skips when the desk's history has not changed since the active model, so running it often costs a read.
    result = services.retrain()
    return {
        "model": result.model.pk if result.model else None,
        "trained": result.trained,
        "positives": result.positives,
        "negatives": result.negatives,
    }
