import json
from datetime import timedelta

from django import template
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from .. import languages
from ..models import Claim, ReviewStatus

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(value) -> str:
    """Serialise `value` for a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(value, ensure_ascii=False, indent=2).translate(_JSON_ESCAPES))  # noqa: S308


ACTION_LABELS = {
    "article_created": "stored the article",
    "revision_added": "added a revision",
    "claim_created": "highlighted the claim",
    "claim_edited": "edited the claim",
    "claim_status": "changed the claim's status",
    "evidence_added": "added evidence",
    "verdict_created": "drafted the verdict",
    "verdict_edited": "edited the verdict",
    "verdict_submitted": "submitted it for review",
    "verdict_approved": "approved it",
    "verdict_changes_requested": "requested changes",
    "verdict_published": "published it",
    "work_assigned": "assigned the work",
    "second_review_switched": "changed whether a second rating is needed",
    "second_checker_assigned": "chose the second checker",
    "second_rating_given": "gave the second rating",
    "desk_settings_changed": "changed the desk's settings",
    "article_import_requested": "asked for the article to be fetched",
    "capture_retried": "retried the capture",
    "claim_reanchored": "re-anchored the claim on a new revision",
    "claim_reattached": "re-attached the claim",
    "source_created": "added the source",
    "checklist_override": "overrode the checklist",
    "claim_withdrawn": "withdrew the claim",
    "claim_restored": "restored the claim",
    "evidence_edited": "edited evidence",
    "evidence_removed": "removed evidence",
    "verdict_unpublished": "unpublished it",
    "verdict_corrected": "published a correction",
    "article_changed": "flagged: the article changed since publication",
    "article_change_kept": "kept it after the article changed",
    "account_created": "created the account",
    "role_granted": "gave the account a role",
    "role_removed": "took the account's role away",
    # The fact-check corpus (matching.services): its feeds, and the same-claim links in the claim's history.
    "feed_subscribed": "subscribed to a ClaimReview feed",
    "feed_unsubscribed": "unsubscribed from a ClaimReview feed",
    "same_claim_linked": "linked it as the same claim as a fact-check",
    "same_claim_changed": "linked it to another fact-check as the same claim",
    "same_claim_unlinked": "removed its same-claim link",
}


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " "))


# The states the activity log records (from_state, to_state), as people say them. Anything else (a revision number
# such as "r2", a role name) is shown as it is, with its underscores made spaces.
STATE_LABELS = {
    **dict(ReviewStatus.choices),
    **dict(Claim.Anchoring.choices),
    "withdrawn": "Withdrawn",
    "stored": "Stored",
}


@register.filter
def state_label(state: str) -> str:
    if not state:
        return ""
    return STATE_LABELS.get(state) or state.replace("_", " ")


JUST_NOW = timedelta(minutes=1)
RELATIVE_FOR = timedelta(days=7)


@register.filter
def when(moment) -> str:
    """A time as people read it: "just now", "5 minutes ago" within a week, then the date ("3 Dec 2026")."""
    if not moment:
        return ""
    age = timezone.now() - moment
    if age < JUST_NOW:
        return "just now"
    if age < RELATIVE_FOR:
        return f"{timesince(moment, depth=1)} ago"
    return format_date(timezone.localtime(moment), "j M Y")


@register.filter
def text_direction(language: str) -> str:
    """The `dir` of text in this language (a BCP 47 code): "rtl" for Arabic, Hebrew, Persian, Urdu, ..., else "ltr".

    Use it with the code itself: <p lang="{{ article.language }}" dir="{{ article.language|text_direction }}">.
    """
    return languages.text_direction(language)


@register.filter
def language_name(language: str) -> str:
    """A language's English name ("Arabic" for ar), or the code when it has none."""
    return languages.name(language)
