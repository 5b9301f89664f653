"""Notifications: who is told of which event, the inbox, and email sent once per notification.

The services call `notify` inside their transaction, so a notification exists exactly when its event does. Email
is queued after commit (jobs.send_on_commit) and sent by a Celery task that claims the row first: it locks the
notification (skipping one another worker holds), sends, and marks `emailed_at` in the same transaction, so a
redelivered or repeated message finds it emailed and sends nothing. A send that fails rolls the mark back and the
task retries. A worker killed between the SMTP server's acceptance and the commit sends again on redelivery:
at least once at that one point, which no mail protocol lets us close.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import jobs
from ..models import Assignment, Claim, Notification, NotificationPreference

logger = logging.getLogger(__name__)
Kind = Notification.Kind

User = get_user_model()


def preference_of(user) -> NotificationPreference:
    """The user's choices (the defaults, unsaved, until they change them)."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def preference_save(*, actor, muted_kinds, email: str) -> NotificationPreference:
    """Save the actor's own choices: the kinds they do not want, and how email comes."""
    muted = sorted({kind for kind in muted_kinds if kind in Kind.values})
    if email not in NotificationPreference.Email.values:
        email = NotificationPreference.Email.IMMEDIATE
    preference, _ = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"muted_kinds": muted, "email": email}
    )
    return preference


def email_enabled() -> bool:
    return "default" in settings.MAILERS  # production without EMAIL_HOST has no mailer


def notify(*, recipient, kind: str, event_key: str, message: str, actor=None, claim=None, article=None):
    """Tell `recipient` of an event, once per `event_key`; nobody is told of what they did themselves, nor of a kind
    they turned off. Returns the new notification, or None (none made, or the event was notified already)."""
    if recipient is None or not recipient.is_active or (actor is not None and recipient.pk == actor.pk):
        return None
    preference = preference_of(recipient)
    if kind in preference.muted_kinds:
        return None
    if claim is not None and article is None:
        article = claim.article
    notification, created = Notification.objects.get_or_create(
        recipient=recipient,
        event_key=event_key,
        defaults={"kind": kind, "message": message[:500], "actor": actor, "claim": claim, "article": article},
    )
    wants_now = preference.email == NotificationPreference.Email.IMMEDIATE
    if created and wants_now and recipient.email and email_enabled():
        jobs.send_on_commit(jobs.SEND_NOTIFICATION_EMAIL, notification.pk)
    return notification if created else None


def notify_many(events: list[dict]) -> int:
    """`notify` for many events at once, in four queries however many there are (re-anchoring flags a whole
    article's published checks at once). Each event is notify's keywords, with `recipient_id` for `recipient`.

    The rows go in with ON CONFLICT DO NOTHING, so a concurrent run cannot fail on the once-per-event constraint;
    sending is safe to ask twice, as the email task sends each notification at most once (`emailed_at`)."""
    ids = {event["recipient_id"] for event in events} - {None}
    people = {user.pk: user for user in User.objects.filter(pk__in=ids, is_active=True)}
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=people)}
    rows, immediate = [], set()
    for event in events:
        person, actor = people.get(event["recipient_id"]), event.get("actor")
        preference = preferences.get(event["recipient_id"]) or NotificationPreference()
        if person is None or (actor is not None and actor.pk == person.pk) or event["kind"] in preference.muted_kinds:
            continue
        claim = event.get("claim")
        rows.append(
            Notification(
                recipient=person,
                kind=event["kind"],
                event_key=event["event_key"],
                message=event["message"][:500],
                actor=actor,
                claim=claim,
                article_id=event["article"].pk if event.get("article") else claim.article_id if claim else None,
            )
        )
        if preference.email == NotificationPreference.Email.IMMEDIATE and person.email:
            immediate.add((person.pk, event["event_key"]))
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    made = Notification.objects.filter(
        recipient_id__in={row.recipient_id for row in rows},
        event_key__in={row.event_key for row in rows},
        emailed_at__isnull=True,
    ).values_list("pk", "recipient_id", "event_key")
    if email_enabled():
        for pk, recipient_id, event_key in made:
            if (recipient_id, event_key) in immediate:
                jobs.send_on_commit(jobs.SEND_NOTIFICATION_EMAIL, pk)
    return len(rows)


# --- The events --------------------------------------------------------------------------------------------------


def _what(assignment: Assignment) -> str:
    if assignment.claim_id:
        claim = assignment.claim
        return f"the claim “{(claim.claim_reviewed or claim.exact)[:80]}”"
    return f"the article “{assignment.article.title[:80]}”"


def assigned(*, actor, assignment: Assignment, before: tuple, activity) -> None:
    """The checker and the reviewer newly named on an assignment are told."""
    target = {"claim": assignment.claim, "article": assignment.article if not assignment.claim_id else None}
    due = f", due {assignment.due:%d %b %Y}" if assignment.due else ""
    for part, person, previous in (
        ("check", assignment.checker, before[0]),
        ("review", assignment.reviewer, before[1]),
    ):
        if person is not None and person != previous:
            notify(
                recipient=person,
                kind=Kind.ASSIGNED,
                event_key=f"activity:{activity.pk}:{part}",
                message=f"{actor.get_username()} asked you to {part} {_what(assignment)}{due}.",
                actor=actor,
                **target,
            )


def _checker_and_author(verdict) -> set:
    people = {verdict.author}
    assignment = Assignment.objects.filter(claim_id=verdict.claim_id).select_related("checker").first()
    if assignment is not None and assignment.checker is not None:
        people.add(assignment.checker)
    return people


def _statement(claim: Claim) -> str:
    return f"“{(claim.claim_reviewed or claim.exact)[:80]}”"


def verdict_moved(*, actor, verdict, action: str, activity) -> None:
    """A verdict changed state (services.verdicts._transition): tell whom it concerns."""
    claim, name = verdict.claim, actor.get_username() if actor else "Someone"
    if action in {"verdict_changes_requested", "verdict_unpublished"}:
        kind, recipients = Kind.SENT_BACK, _checker_and_author(verdict)
        message = f"{name} sent back the verdict on {_statement(claim)}: {activity.comment[:200]}"
    elif action == "verdict_submitted":
        assignment = Assignment.objects.filter(claim_id=claim.pk).select_related("reviewer").first()
        recipients = {assignment.reviewer} if assignment is not None and assignment.reviewer else set()
        kind, message = Kind.REVIEW_REQUESTED, f"{name} submitted the verdict on {_statement(claim)} for your review."
    elif action == "verdict_approved":
        kind, recipients = Kind.APPROVED, _checker_and_author(verdict)
        message = f"{name} approved the verdict on {_statement(claim)}."
    elif action == "verdict_published":
        kind, recipients = Kind.PUBLISHED, _checker_and_author(verdict)
        message = f"{name} published the fact-check of {_statement(claim)}."
    else:
        return
    for person in recipients:
        notify(
            recipient=person,
            kind=kind,
            event_key=f"activity:{activity.pk}",
            message=message,
            actor=actor,
            claim=claim,
        )


def remind_due() -> int:
    """Tell checkers and reviewers of open work due tomorrow or overdue (Celery beat, daily); once per assignment
    and due date, however often it runs. Returns how many notifications were created."""
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    open_work = (
        Assignment.objects.filter(due__lte=tomorrow)
        .exclude(claim__status=Claim.Status.PUBLISHED)
        .exclude(claim__withdrawn_at__isnull=False)
        .filter(Q(checker__isnull=False) | Q(reviewer__isnull=False))
        .select_related("claim__article", "article", "checker", "reviewer")
    )
    made = 0
    for assignment in open_work:
        if assignment.due == tomorrow:
            kind = Kind.DUE_SOON
        elif assignment.due < today:
            kind = Kind.OVERDUE
        else:
            continue  # due today: told tomorrow if still open
        words = "is due tomorrow" if kind == Kind.DUE_SOON else f"was due {assignment.due:%d %b %Y}"
        for person in {assignment.checker, assignment.reviewer} - {None}:
            with transaction.atomic():
                made += bool(
                    notify(
                        recipient=person,
                        kind=kind,
                        event_key=f"{kind}:{assignment.pk}:{assignment.due.isoformat()}",
                        message=f"{_what(assignment)[0].upper()}{_what(assignment)[1:]} {words}.",
                        claim=assignment.claim,
                        article=assignment.article,
                    )
                )
    return made


# --- The inbox ---------------------------------------------------------------------------------------------------


def notification_read(*, actor, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications read, or all of them (None). Returns how many were unread."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


# --- Email -------------------------------------------------------------------------------------------------------


def _body(notifications) -> str:
    lines = [f"- {n.message}" for n in notifications]
    return "\n".join([*lines, "", f"Your inbox: {settings.SITE_URL.rstrip('/')}/inbox/"]) + "\n"


def notification_email_send(notification_id: int) -> str:
    """Email one notification unless it was emailed already ("skipped") or another worker is sending it.

    Raises what the mail backend raises (SMTP errors, a refused connection), leaving it unsent for the retry."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return "skipped"
        if notification.recipient.email:
            send_mail(
                f"[Factcheck] {notification.get_kind_display()}",
                _body([notification]),
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient.email],
            )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return "sent"


def digests_send() -> int:
    """The daily digest: each user who asked for one gets their notifications not yet emailed, in one email.

    The rows are claimed (locked, skipping any another run holds) and marked in the transaction that sends."""
    sent = 0
    users = NotificationPreference.objects.filter(email=NotificationPreference.Email.DIGEST).values_list("user_id")
    for user_id in users:
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(recipient_id=user_id[0], emailed_at__isnull=True)
                .order_by("created_at", "id")
            )
            if not pending or not pending[0].recipient.email:
                continue
            send_mail(
                f"[Factcheck] {len(pending)} notification{'s' if len(pending) != 1 else ''} today",
                _body(pending),
                settings.DEFAULT_FROM_EMAIL,
                [pending[0].recipient.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
            sent += 1
    return sent
