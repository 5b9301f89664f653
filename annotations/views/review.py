from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

from .. import blind_review, roles, services
from ..forms import verdict_ratings
from ..models import Verdict
from .assignments import desk_members
from .common import role_required

ARTICLE_CHANGED = "article_changed"  # not a status: published fact-checks whose article changed under them
QUEUE_STATES = [
    (Verdict.Status.IN_REVIEW, "Waiting for review"),
    (Verdict.Status.CHANGES_REQUESTED, "Sent back"),
    (Verdict.Status.APPROVED, "Approved, not published"),
    (ARTICLE_CHANGED, "Article changed"),
]


def _verdicts():
    return Verdict.objects.select_related(
        "claim__article__outlet", "rating", "author", "reviewer", "claim__assignment__reviewer"
    ).filter(claim__withdrawn_at__isnull=True)


def _in_state(verdicts, state: str):
    if state == ARTICLE_CHANGED:
        return verdicts.filter(article_changed_at__isnull=False, status=Verdict.Status.PUBLISHED)
    return verdicts.filter(status=state)


def _assigned_to(verdicts, assignee: str, user):
    """The assignee filter: the claims whose assigned reviewer is me, nobody, or the reviewer with this id."""
    if assignee == "me":
        return verdicts.filter(claim__assignment__reviewer=user)
    if assignee == "none":
        return verdicts.filter(Q(claim__assignment__isnull=True) | Q(claim__assignment__reviewer__isnull=True))
    if assignee.isdigit():
        return verdicts.filter(claim__assignment__reviewer_id=int(assignee))
    return verdicts


@role_required(*roles.REVIEW_QUEUE)
def review_queue(request):
    """Verdicts waiting for a decision, oldest submission first, with counts per state."""
    state = request.GET.get("state") or Verdict.Status.IN_REVIEW
    if state not in dict(QUEUE_STATES):
        state = Verdict.Status.IN_REVIEW
    verdicts = _in_state(_verdicts(), state)
    if hidden := blind_review.hidden_claim_ids(request.user):
        verdicts = verdicts.exclude(claim_id__in=hidden)  # theirs to rate blind first: not shown with its rating
    rating = request.GET.get("rating")
    if rating and rating.isdigit():
        verdicts = verdicts.filter(rating_id=int(rating))
    author = request.GET.get("author")
    if author == "others":
        verdicts = verdicts.exclude(author=request.user)
    assignee = request.GET.get("assignee", "")
    verdicts = _assigned_to(verdicts, assignee, request.user)
    counts = dict(
        _verdicts()
        .filter(status__in=[s for s, _ in QUEUE_STATES])
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counts[ARTICLE_CHANGED] = _in_state(_verdicts(), ARTICLE_CHANGED).count()
    order = ("article_changed_at", "id") if state == ARTICLE_CHANGED else ("submitted_at", "id")
    page = Paginator(verdicts.order_by(*order), 25).get_page(request.GET.get("page"))
    if state == Verdict.Status.APPROVED:
        # Publish asks first, showing what the checklist finds (two queries for the whole page).
        checklists = services.publication_checklists(page.object_list)
        for verdict in page.object_list:
            verdict.checklist = checklists[verdict.pk]
    tabs = [(value, label, counts.get(value, 0)) for value, label in QUEUE_STATES]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "annotations/review_queue.html",
        {
            "page": page,
            "state": state,
            "tabs": tabs,
            "ratings": verdict_ratings(),
            "rating": rating,
            "author": author,
            "assignee": assignee,
            "reviewers": desk_members(roles.REVIEW_QUEUE.perm),
            "query_string": query.urlencode(),
        },
    )


@role_required(*roles.LIST_VERDICTS)
def my_verdicts(request):
    """The signed-in author's verdicts; those sent back come first, with the reviewer's comment."""
    verdicts = _verdicts().filter(author=request.user).order_by("-updated_at")
    sent_back = [v for v in verdicts if v.status == Verdict.Status.CHANGES_REQUESTED]
    others = [v for v in verdicts if v.status != Verdict.Status.CHANGES_REQUESTED]
    return render(request, "annotations/my_verdicts.html", {"sent_back": sent_back, "others": others})
