"""The inbox of notifications (list, mark read, mark all read) and the page of notification preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..models import Notification
from ..services import notifications


@login_required
def inbox(request):
    """The signed-in user's notifications, newest first, unread ones marked."""
    mine = Notification.objects.filter(recipient=request.user).select_related("actor", "claim")
    mine = mine.defer("claim__exact", "claim__prefix", "claim__suffix", "claim__anchor_exact")
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    return render(request, "annotations/inbox.html", {"page": page, "query_string": ""})


@require_POST
@login_required
def inbox_read(request, notification_id: int | None = None):
    """Mark one notification read (and open what it is about), or all of them."""
    notifications.notification_read(actor=request.user, notification_id=notification_id)
    if notification_id is not None and request.POST.get("open"):
        notification = Notification.objects.filter(recipient=request.user, pk=notification_id).first()
        if notification is not None and notification.claim_id:
            return redirect(f"/articles/{notification.article_id}/?claim={notification.claim_id}#panel")
        if notification is not None and notification.article_id:
            return redirect("reader", notification.article_id)
    return redirect("inbox")


@login_required
def notification_settings(request):
    """Each kind on or off, and email at once, in a daily digest, or never."""
    if request.method == "POST":
        kinds_on = set(request.POST.getlist("kinds"))
        services.notification_preference_save(
            actor=request.user,
            muted_kinds=[kind for kind in Notification.Kind.values if kind not in kinds_on],
            email=request.POST.get("email", ""),
        )
        messages.success(request, "Notification settings saved.")
        return redirect("notification_settings")
    preference = notifications.preference_of(request.user)
    kinds = [(value, label, value not in preference.muted_kinds) for value, label in Notification.Kind.choices]
    return render(
        request,
        "annotations/notification_settings.html",
        {"kinds": kinds, "preference": preference, "email_choices": preference.Email.choices},
    )
