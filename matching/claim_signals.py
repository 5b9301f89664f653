"""A claim made, or its short statement edited, is matched against the corpus by a worker once the write commits.

A receiver on the claim's save (annotations does not import this app, so its services cannot call it): connected in
MatchingConfig.ready. It only queues the task (never the encoder, ~20 ms, in a request), after commit, and a broker
that is down costs the write nothing (annotations.jobs logs it; the sweep matches the claim later).
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from annotations import jobs

from .jobs import MATCH_CLAIM
from .models import FactCheck, SameClaim

# The saves that change what a claim is matched by; any other save (withdrawal, re-attachment) leaves it.
MATCHED_FIELDS = {"claim_reviewed", "exact"}


def claim_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:  # loaddata: the sweep matches those
        return
    if created or update_fields is None or MATCHED_FIELDS & set(update_fields):
        jobs.send_on_commit(MATCH_CLAIM, instance.pk)


def link_deleted(sender, instance, **kwargs):
    # However the link goes (unlinked, or its claim deleted), its wording stops standing for the fact-check (one
    # deleted itself is no row to touch).
    FactCheck.objects.filter(pk=instance.fact_check_id).touch()


def connect() -> None:
    post_save.connect(claim_saved, sender=apps.get_model("annotations", "Claim"), dispatch_uid="matching.match_claim")
    post_delete.connect(link_deleted, sender=SameClaim, dispatch_uid="matching.wording_unlinked")
