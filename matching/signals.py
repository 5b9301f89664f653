"""The corpus follows our own published fact-checks: receivers on the desk's models, connected in MatchingConfig.

annotations never imports this app, so the desk's services do not call it: these receivers hear their saves
instead, whichever service (or the admin) made them, inside the same transaction. Each asks one cheap question
before any work (is this verdict published, or was it ever; does a row of ours depend on this claim, article,
rating or source), so drafts and reviews cost nothing or a single query. Raw saves (loaddata) are left alone;
own_factchecks_resync repairs anything they or bulk updates leave behind.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from .models import FactCheck
from .services import own


def verdict_saved(sender, instance, raw=False, **kwargs):
    # A verdict never published has no row; published_at stays set once it was, so unpublishing is heard.
    if not raw and (instance.status == "published" or instance.published_at is not None):
        own.own_factcheck_sync(instance.claim_id)


def verdict_deleted(sender, instance, **kwargs):
    FactCheck.objects.filter(claim_id=instance.claim_id).delete()


def claim_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.status == "published":  # its statement or claimant may have changed
        own.own_factcheck_sync(instance.pk)


def _rows_of(**condition) -> list[int]:
    return list(FactCheck.objects.filter(origin=FactCheck.Origin.OWN, **condition).values_list("claim_id", flat=True))


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # the claim's appearance (url, date) and language
        own.own_factchecks_sync_many(_rows_of(claim__article_id=instance.pk))


def rating_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # a label, or the scale's best and worst values
        own.own_factchecks_sync_many(_rows_of(claim__verdict__rating__scale_id=instance.scale_id))


def source_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # an outlet's name is the claim's author when the claimant is not known
        own.own_factchecks_sync_many(_rows_of(claim__article__outlet_id=instance.pk))


def connect() -> None:
    model = apps.get_model
    post_save.connect(verdict_saved, sender=model("annotations", "Verdict"), dispatch_uid="matching.own.verdict")
    post_delete.connect(verdict_deleted, sender=model("annotations", "Verdict"), dispatch_uid="matching.own.v-del")
    post_save.connect(claim_saved, sender=model("annotations", "Claim"), dispatch_uid="matching.own.claim")
    post_save.connect(article_saved, sender=model("annotations", "Article"), dispatch_uid="matching.own.article")
    post_save.connect(rating_changed, sender=model("annotations", "Rating"), dispatch_uid="matching.own.rating")
    post_delete.connect(rating_changed, sender=model("annotations", "Rating"), dispatch_uid="matching.own.r-del")
    post_save.connect(source_saved, sender=model("annotations", "Source"), dispatch_uid="matching.own.source")
