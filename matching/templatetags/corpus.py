"""Template helpers of the claim panel's corpus part (templates/matching/_claim_matching.html)."""

from django import template

from ..claim_models import REPEAT_THRESHOLD, SHOWN_THRESHOLD
from ..services.same_claim import link_refusal

register = template.Library()


@register.simple_tag(takes_context=True)
def may_link(context, claim) -> bool:
    """Whether the visitor may change the claim's same-claim link now (the service's own rules)."""
    return link_refusal(context["request"].user, claim) is None


@register.filter
def score(value) -> str:
    return f"{value:.2f}" if value is not None else ""


@register.simple_tag
def shown_score() -> str:
    """The least score a match needs to be listed in the reader (matches.js): below it, nothing alike."""
    return str(SHOWN_THRESHOLD)


@register.simple_tag
def repeat_score() -> str:
    """The score from which a match is marked as likely the same claim (the "Already checked" flag's threshold)."""
    return str(REPEAT_THRESHOLD)
