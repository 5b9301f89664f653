"""What a second checker may not see: the first verdict of a claim they are still to rate.

A second rating is only independent if its checker cannot read the first one, so the server leaves it out of
everything that user is sent (the reader's panel and its history, the discussion, the review queue, the API's
claims, verdicts and activity, the exports and the W3C container) until their rating is saved. Hiding it in the
browser would not do: the API, an export or the page source would still carry it.

`hidden_claim_ids` is what every one of those asks; it is remembered by the desk's version (desk_version.py), so
an unchanged desk asks the database once per worker, not once per request.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Value

from . import desk_version
from .models import DeskSettings, SecondReview

# What the second checker's history (the panel's, the API's) leaves out while the first verdict is hidden.
VERDICT_ACTIONS = frozenset(
    {
        "verdict_created",
        "verdict_edited",
        "verdict_submitted",
        "verdict_approved",
        "verdict_changes_requested",
        "verdict_published",
        "verdict_unpublished",
        "verdict_corrected",
        "checklist_override",
    }
)

# What the panel says where the verdict would be.
HIDDEN_NOTE = (
    "The first verdict is hidden from you until you save your own rating, so that your rating is independent."
)


def unrated_by(user_id: int):
    """The second reviews `user_id` is the checker of and has not rated: the claims whose verdict they may not see."""
    return SecondReview.objects.filter(checker_id=user_id, rated_at__isnull=True)


def _hidden(user_id: int) -> frozenset[int]:
    return frozenset(unrated_by(user_id).values_list("claim_id", flat=True))


def hidden_claim_ids(user) -> frozenset[int]:
    """The claims whose verdict `user` may not see now: those they are the unrated second checker of."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return desk_version.remembered(("blind second review", user.pk), lambda: _hidden(user.pk))


def hidden_expression(user):
    """For a claims queryset: whether the claim's verdict is hidden from `user`, as a column of the same query."""
    if user is None or not user.is_authenticated:
        return Value(False)
    return Exists(unrated_by(user.pk).filter(claim_id=OuterRef("pk")))


def without_hidden_verdicts(documents: list[dict], hidden: frozenset[int]) -> list[dict]:
    """API claim documents with `verdict` null where it is hidden; copies, as the documents are shared (cached)."""
    if not hidden:
        return documents
    return [{**doc, "verdict": None} if doc["id"] in hidden else doc for doc in documents]


def is_hidden_from(user, claim_id: int) -> bool:
    return claim_id in hidden_claim_ids(user)


def desk_asks_second_rating() -> bool:
    # Read, not get_or_create: a page that only asks must not write the row.
    setting = lambda: bool(DeskSettings.objects.filter(pk=1).values_list("blind_second_review", flat=True).first())  # noqa: E731
    return desk_version.remembered(("desk settings",), setting)


def second_rating_required(second_review: SecondReview | None) -> bool:
    """Whether a claim needs an independent second rating: its own switch (its second review row), else the desk's
    setting."""
    if second_review is not None and second_review.required is not None:
        return second_review.required
    return desk_asks_second_rating()


def second_review_of(claim) -> SecondReview | None:
    """The claim's second review row (None until someone asks for one), with its checker and rating."""
    return SecondReview.objects.filter(claim_id=claim.pk).select_related("checker", "rating").first()


def approval_refusal(user, claim) -> tuple[str | None, str | None]:
    """What blind second review says of `user` approving the verdict of `claim`: (a refusal of the person, the
    rating it waits for), each a message or None. The second checker does not approve the claim they rated (a third
    person compares the two ratings); a required rating must be given first."""
    review = second_review_of(claim)
    if review is not None and review.checker_id == user.pk:
        return "You gave this claim's second rating; another reviewer compares the two ratings and decides.", None
    if not second_rating_required(review):
        return None, None
    if review is None or review.checker_id is None:
        return None, "This claim needs an independent second rating first: a reviewer chooses its second checker."
    if review.rated_at is None:
        return None, f"This claim needs an independent second rating first: {review.checker} has not rated it yet."
    return None, None
