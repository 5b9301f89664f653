"""The reader: an article's current text with its claims highlighted, and the claim panel beside it."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import blind_review, desk_version, overlaps, repeats, roles, row_versions, selectors, services
from ..forms import (
    ClaimCreateForm,
    ClaimEditForm,
    EvidenceForm,
    SecondRatingForm,
    TransitionForm,
    VerdictForm,
    add_service_errors,
)
from ..highlighting import Span
from ..highlighting import render as render_text
from ..models import Article, ArticleRevision, Assignment, Claim, Verdict, verdict_of
from ..worker_memory import WorkerMemory
from .assignments import assign_choices, desk_members
from .common import role_required
from .panel import fragment_response, wants_fragment


def claim_css(claim: Claim) -> str:
    verdict = verdict_of(claim)
    if verdict is not None and verdict.status == Verdict.Status.PUBLISHED:
        value = verdict.rating.value
        return f"rating-{value}" if value is not None else "rating-other"
    return f"status-{claim.status}"


def highlights_key(spans: list[Span], selected: Claim | None) -> str:
    """What the article text's highlights look like: panel.js replaces the text only when this changes."""
    drawn = ";".join(f"{s.id},{s.start},{s.end},{s.css}" for s in spans) + f"|{selected.pk if selected else ''}"
    return hashlib.blake2b(drawn.encode(), digest_size=8).hexdigest()


def reader_context(request, article: Article, *, selected_id=None, forms=None, extra=None) -> dict:
    revision = selectors.current_revision(article)
    everything = list(selectors.claims_for_reader(revision, with_evidence=selected_id is not None))
    for claim in everything:
        claim.on_text = claim.anchor_revision_id == revision.pk and claim.anchor_start is not None
    # Withdrawn claims are neither highlighted nor listed; they stay reachable from their own small section.
    claims = [c for c in everything if not c.is_withdrawn]
    shown = sorted((c for c in claims if c.on_text), key=lambda c: (c.anchor_start, c.anchor_end))
    # A claim whose anchoring is still on an older revision has not been re-anchored yet (a worker does it for a
    # large article): it is "re-attaching", neither found nor lost on this one (views/revisions.py polls for it).
    pending = [c for c in claims if c.anchor_revision_id != revision.pk]
    off_text = [c for c in claims if not c.on_text and c.anchor_revision_id == revision.pk]
    spans = [Span(c.pk, c.anchor_start, c.anchor_end, claim_css(c)) for c in shown]
    selected = next((c for c in everything if str(c.pk) == str(selected_id)), None)
    forms = forms or {}
    page = {
        "article": article,
        "revision": revision,
        "revision_count": article.revisions.count(),
        "text_html": render_text(revision.text, spans, selected.pk if selected else None),
        "claims": shown,
        "off_text_claims": off_text,
        "pending_claims": pending,
        "withdrawn_claims": [c for c in everything if c.is_withdrawn],
        "claim_order": " ".join(str(c.pk) for c in shown),
        "highlights": highlights_key(spans, selected),
        "selected": selected,
        **permission_flags(request.user),
    }
    context = page_context(
        request, article.pk, reader_fragments(page), selected=selected, claim_form=forms.get("claim")
    )
    if selected is not None:
        context.update(panel_context(request, selected, forms))
        # Other claims of the article saying the same (repeats.py): from the claims already read, no query.
        context["claim_repeats"] = repeats.repeats(repeats.texts_of(selected), everything, exclude=[selected.pk])
    context.update(extra or {})
    return context


def page_context(request, article_id: int, fragments: dict, *, selected=None, claim_form=None) -> dict:
    """What reader.html shows around the fragments: the visitor's own part (the new-claim form, with its token)."""
    return {
        "article_id": article_id,
        "fragments": fragments,
        "selected": selected,
        "claim_form": claim_form or ClaimCreateForm(initial={"revision": fragments["revision_id"]}),
        "can_claim": request.user.has_perm("annotations.add_claim"),
        # The claim panel's quote and statement are in the article's language (lang and dir), the page in the site's.
        "article_language": fragments["language"],
    }


def permission_flags(user) -> dict:
    """The two permissions the article column and the claim list depend on (part of their cache key)."""
    return {
        "can_claim": user.has_perm("annotations.add_claim"),
        "can_review_anchoring": user.has_perm("annotations.change_claim"),
    }


def reader_fragments(page: dict) -> dict:
    """The article column and the claim list, rendered without the request: nothing in them is the visitor's own
    (no form, token or nonce), so they can be kept by `row_versions.reader_stamp` and the two permission flags."""
    return {
        "title": page["article"].title,
        "language": page["article"].language,
        "revision_id": page["revision"].pk,
        "highlights": page["highlights"],
        "article": render_to_string("annotations/_reader_article.html", page),
        "claims": render_to_string("annotations/_reader_claims.html", page),
    }


# Fragments of the reader with no claim open, per worker, keyed by the article's stamp (immutable entries: see
# row_versions) and the permission flags; the 256 most recently used (each a few times the text's size).
READER_PAGES = WorkerMemory(256)


def cached_reader_fragments(request, pk: int) -> dict:
    stamp = desk_version.remembered(("reader stamp", pk), lambda: row_versions.reader_stamp(pk))
    if stamp is None:
        raise Http404("No article here.")
    flags = permission_flags(request.user)
    key = (pk, stamp, flags["can_claim"], flags["can_review_anchoring"])
    fragments = READER_PAGES.get(key)
    if fragments is None:
        article = get_object_or_404(Article.objects.defer("search_vector").select_related("outlet"), pk=pk)
        fragments = reader_context(request, article)["fragments"]
        READER_PAGES.put(key, fragments)
    return fragments


def second_review_context(user, claim: Claim, forms: dict, hidden: bool) -> dict:
    """The panel's second rating: whether one is needed, who gives it, their form, and both ratings once given."""
    review = blind_review.second_review_of(claim)
    required = blind_review.second_rating_required(review)
    can_ask = user.has_perm(roles.ASK_SECOND_RATINGS.perm) and not hidden  # not the checker of their own review
    context = {
        "second_review": review,
        "second_required": required,
        "can_ask_second": can_ask,
        "can_rate_second": hidden,
        "show_second_review": required or review is not None or can_ask,
        "hidden_note": blind_review.HIDDEN_NOTE,
    }
    if hidden:
        context["second_rating_form"] = forms.get("second_rating") or SecondRatingForm()
    if can_ask:
        context["second_checkers"] = desk_members(roles.GIVE_SECOND_RATINGS.perm)
        context["desk_asks_second"] = blind_review.desk_asks_second_rating()
    return context


def panel_context(request, claim: Claim, forms: dict) -> dict:
    user = request.user
    # The claim's unrated second checker gets the claim and its evidence with no trace of the first verdict (its
    # history entries, the discussion where it may be talked about) until their own rating is saved.
    hidden = blind_review.is_hidden_from(user, claim.pk)
    verdict = None if hidden else verdict_of(claim)
    if verdict is not None:
        initial = {"rating": verdict.rating_id, "explanation": verdict.explanation, "version": verdict.version}
    else:
        initial = {}
    editable = verdict is None or verdict.status in {Verdict.Status.DRAFT, Verdict.Status.CHANGES_REQUESTED}
    may = user.has_perm
    reviewable = (
        verdict is not None and verdict.status == Verdict.Status.IN_REVIEW and may("annotations.review_verdict")
    )
    two_person = services.two_person_refusal(user, verdict) if reviewable else None
    approved = verdict is not None and verdict.status == Verdict.Status.APPROVED
    # Who made the account of a reviewer (or gave it its role) is no second person for their verdicts.
    can_publish = approved and may("annotations.publish_verdict") and not services.sponsor_refusal(user, verdict)
    can_review = reviewable and not two_person
    # An approved verdict goes back to review before its claim or evidence changes.
    can_send_back = approved and may("annotations.review_verdict")
    can_send_back = can_send_back and not services.has_contributed(user, verdict)
    activity = claim.activity.select_related("actor").order_by("created_at", "id")
    return {
        "verdict": verdict,
        "verdict_hidden": hidden,
        "verdict_editable": editable and may("annotations.change_verdict") and not hidden,
        "verdict_form": forms.get("verdict") or VerdictForm(initial=initial),
        "claim_edit_form": forms.get("claim_edit")
        or ClaimEditForm(initial={"claimant": claim.claimant, "claim_reviewed": claim.claim_reviewed}),
        "evidence_form": forms.get("evidence") or EvidenceForm(),
        "review_form": forms.get("review") or TransitionForm(initial={"version": verdict and verdict.version}),
        "can_add_evidence": may("annotations.add_evidence") and not claim.is_locked and not claim.is_withdrawn,
        "claim_lock": services.review_lock_refusal(claim, "the claim or its evidence"),
        "can_review": can_review,
        "review_blocked_by_two_person_rule": two_person,
        "can_publish": can_publish,
        "can_send_back": can_send_back,
        # What approve and publish would check, shown beside them and in their confirmation dialog.
        "checklist": services.publication_checklist(verdict) if can_review or can_publish else None,
        "activity": activity.exclude(action__in=blind_review.VERDICT_ACTIONS) if hidden else activity,
        # Who checks and reviews it, by when; the choices only for who may assign, read if the form is shown.
        "assignment": Assignment.objects.filter(claim=claim).select_related("checker", "reviewer").first(),
        "can_take_work": may(roles.TAKE_WORK.perm) and not claim.is_withdrawn,
        "today": timezone.localdate(),
        **assign_choices(user),
        "conflict": forms.get("conflict"),
        "unsaved": forms.get("unsaved"),
        "transition": forms.get("transition"),
        **second_review_context(user, claim, forms, hidden=hidden),
    }


def render_reader(request, article, *, selected_id=None, forms=None, status=200, extra=None, message=""):
    """A refused form: the whole reader again with its errors, or for panel.js the panel with them."""
    context = reader_context(request, article, selected_id=selected_id, forms=forms, extra=extra)
    if wants_fragment(request):
        message = message or (forms or {}).get("conflict") or "Not saved: correct what is marked in the form."
        return fragment_response(request, context, status=status, message=message, level="error")
    return render(request, "annotations/reader.html", context, status=status)


def action_done(request, claim: Claim, message: str, *, where: str, level: str = "success"):
    """After a panel action: for panel.js the panel with the message beside `where` (an element id in it);
    otherwise the message and a redirect back to the claim."""
    if wants_fragment(request):
        article = Article.objects.defer("search_vector").get(pk=claim.article_id)
        context = reader_context(request, article, selected_id=claim.pk)
        status = 200 if level == "success" else 400
        return fragment_response(request, context, status=status, message=message, level=level, where=where)
    getattr(messages, level)(request, message)
    return redirect(back_to(claim))


def back_to(claim_or_article) -> str:
    if isinstance(claim_or_article, Claim):
        return reverse("reader", args=[claim_or_article.article_id]) + f"?claim={claim_or_article.pk}#panel"
    return reverse("reader", args=[claim_or_article.pk])


@role_required(*roles.READ_ARTICLES)
def reader(request, pk: int):
    selected_id = request.GET.get("claim")
    if selected_id:
        article = get_object_or_404(Article.objects.defer("search_vector"), pk=pk)
        if wants_fragment(request):  # panel.js refreshing the open claim (its checklist once captures are done)
            return fragment_response(request, reader_context(request, article, selected_id=selected_id))
        return render_reader(request, article, selected_id=selected_id)
    # The page editors keep open and come back to: from the cache while nothing on it changed.
    context = page_context(request, pk, cached_reader_fragments(request, pk))
    return render(request, "annotations/reader.html", context)


@require_POST
@role_required(*roles.CREATE_CLAIMS)
def claim_create(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    form = ClaimCreateForm(request.POST)
    open_claim = request.POST.get("open_claim")  # the claim open beside the form stays open if it is refused
    if form.is_valid():
        data = form.cleaned_data
        revision = ArticleRevision.objects.filter(article=article, pk=data["revision"]).first()
        if revision is None:
            form.add_error(None, "The selection refers to a revision of another article.")
        elif revision != selectors.current_revision(article):
            form.add_error(None, "A newer revision of this article has arrived; select the text again.")
        else:
            try:
                selection = form.selection_on(revision.text)
                # A selection that does not fit the text gets the service's own error, not a warning.
                fits = revision.text[selection["start"] : selection["end"]] == selection["exact"]
                warned = overlaps.selection_warnings(revision, selection, data["claim_reviewed"]) if fits else None
                seen = overlaps.seen_ids(request.POST.getlist("overlaps") + request.POST.getlist("repeats"))
                if warned is not None and warned.unseen(seen):
                    # Not made yet: the form comes back with the claims it overlaps or repeats; posting it again
                    # makes it.
                    return render_reader(
                        request,
                        article,
                        selected_id=open_claim,
                        forms={"claim": form},
                        status=409,
                        extra={"overlap_claims": warned.overlapping, "repeat_claims": warned.repeated},
                        message=warned.message,
                    )
                claim = services.claim_create(
                    actor=request.user,
                    revision=revision,
                    claimant=data["claimant"],
                    claim_reviewed=data["claim_reviewed"],
                    **selection,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return action_done(request, claim, "Claim created.", where="claim-head")
    return render_reader(request, article, selected_id=open_claim, forms={"claim": form}, status=400)


def _claim_for_write(claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)


def _claim_form_post(request, claim_id: int, form_class, service, *, key: str, done: str, where: str):
    """Validate a panel form, call the service, and show the errors in the panel when it refuses."""
    claim = _claim_for_write(claim_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, claim=claim, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return action_done(request, claim, done, where=where)
    return render_reader(request, claim.article, selected_id=claim.pk, forms={key: form}, status=400)


@require_POST
@role_required(*roles.EDIT_CLAIMS)
def claim_edit(request, claim_id: int):
    return _claim_form_post(
        request,
        claim_id,
        ClaimEditForm,
        services.claim_update,
        key="claim_edit",
        done="Claim updated.",
        where="claim-edit-form",
    )


@require_POST
@role_required(*roles.ADD_EVIDENCE)
def evidence_add(request, claim_id: int):
    return _claim_form_post(
        request,
        claim_id,
        EvidenceForm,
        services.evidence_add,
        key="evidence",
        done="Evidence added.",
        where="evidence-form",
    )


@require_POST
@role_required(*roles.WRITE_VERDICTS)
def verdict_save(request, claim_id: int):
    claim = _claim_for_write(claim_id)
    verdict_exists = Verdict.objects.filter(claim=claim).exists()
    form = VerdictForm(request.POST, verdict_exists=verdict_exists)
    # If the verdict can no longer be edited (someone submitted it meanwhile), the form is not shown again:
    # the page then shows this, read-only, so that nothing the user typed is lost.
    forms = {"verdict": form, "unsaved": _unsaved_verdict(form)}
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.verdict_save(
                actor=request.user,
                claim=claim,
                rating=data["rating"],
                explanation=data["explanation"],
                # A first save read no verdict: version 0 makes one saved meanwhile a conflict, not overwritten.
                version=data["version"] if verdict_exists else 0,
            )
        except services.Conflict as conflict:
            # Keep what the user typed, and let a second save deliberately replace the newer version.
            form = VerdictForm({**request.POST.dict(), "version": conflict.current_version}, verdict_exists=True)
            form.is_valid()
            forms = {"verdict": form, "conflict": str(conflict), "unsaved": forms["unsaved"]}
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return action_done(request, claim, "Verdict saved.", where="verdict-form")
    return render_reader(request, claim.article, selected_id=claim.pk, forms=forms, status=status)


def _unsaved_verdict(form: VerdictForm) -> dict:
    rating_id = str(form.data.get("rating", ""))
    known = rating_id.isdigit() and len(rating_id) < 10
    rating = form.fields["rating"].queryset.filter(pk=rating_id).first() if known else None
    return {"rating": rating, "explanation": form.data.get("explanation", "")}


class NotConfirmed(Exception):
    """An approve or publish posted without its confirmation."""


TRANSITIONS = {
    "submit": (services.verdict_submit, "Submitted for review."),
    "approve": (services.verdict_approve, "Verdict approved."),
    "request-changes": (services.verdict_request_changes, "Sent back to the author with your comment."),
    "publish": (services.verdict_publish, "Published."),
}


@require_POST
@role_required(*roles.READ_VERDICTS)
def verdict_transition(request, verdict_id: int, action: str):
    verdict = get_object_or_404(Verdict.objects.select_related("claim__article"), pk=verdict_id)
    service, done = TRANSITIONS[action]
    form = TransitionForm(request.POST)
    claim = verdict.claim
    status = 400
    # The re-rendered panel puts the comment and override reason back into the form that was posted.
    forms = {"review": form, "transition": action}
    if form.is_valid():
        kwargs = {"actor": request.user, "verdict": verdict, "version": form.cleaned_data["version"]}
        if action in {"approve", "request-changes"}:
            kwargs["comment"] = form.cleaned_data["comment"]
        unconfirmed = False
        if action in {"approve", "publish"}:
            kwargs["override"] = form.cleaned_data["override"]
            unconfirmed = not form.cleaned_data["confirm"]
        try:
            with transaction.atomic():
                service(**kwargs)
                if unconfirmed:
                    # Rolled back: a post that skipped the confirmation gets the error the service would give
                    # (role, two-person rule, state, blockers), or else this one; it never approves or publishes.
                    raise NotConfirmed
        except NotConfirmed:
            form.add_error("confirm", f"Read the checklist and confirm to {action}.")
        except services.Conflict as conflict:
            forms["conflict"] = str(conflict)
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("next") == "review":
                messages.success(request, done)
                return redirect("review_queue")
            return action_done(request, claim, done, where="verdict-heading")
    return render_reader(request, claim.article, selected_id=claim.pk, forms=forms, status=status)
