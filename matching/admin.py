"""The corpus in the Django admin: feed subscriptions for admins; fact-checks read-only (imports, feeds and our own
verdicts write them). Subscriptions go through matching.services, as annotations' admin does for sources."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from annotations.admin import ReadOnlyAdmin

from . import services
from .models import ClaimReviewFeed, FactCheck


@admin.register(FactCheck)
class FactCheckAdmin(ReadOnlyAdmin):
    list_display = ["claim_reviewed_short", "publisher_name", "rating_name", "date_published", "origin", "language"]
    list_filter = ["origin", "language", "feed"]
    search_fields = ["claim_reviewed", "headline", "url", "publisher_name"]
    exclude = ["search", "embedding"]

    @admin.display(description="Claim reviewed")
    def claim_reviewed_short(self, fact_check):
        return str(fact_check)


class FeedForm(forms.ModelForm):
    class Meta:
        model = ClaimReviewFeed
        fields = ["url", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if problem := services.feeds.feed_url_problem(url):
            raise ValidationError(problem)
        return url


STATUS_FIELDS = [
    "added_by",
    "added_at",
    "last_fetched_at",
    "last_status",
    "last_imported",
    "last_updated",
    "last_skipped",
    "last_rejected",
    "last_error",
]


@admin.register(ClaimReviewFeed)
class ClaimReviewFeedAdmin(admin.ModelAdmin):
    """Other desks' ClaimReview feeds. Only admins hold the permissions (matching.rules); a feed's URL is fixed once
    subscribed (subscribe to the new one instead), `active` subscribes and unsubscribes."""

    form = FeedForm
    list_display = [
        "url",
        "active",
        "last_status",
        "last_fetched_at",
        "last_imported",
        "last_updated",
        "last_rejected",
    ]
    list_filter = ["active", "last_status"]
    search_fields = ["url"]
    actions = ["refresh_now"]

    def get_readonly_fields(self, request, obj=None):
        return ["url", *STATUS_FIELDS] if obj is not None else STATUS_FIELDS

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.feed_subscribe(actor=request.user, url=form.cleaned_data["url"])
            obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db
            if not form.cleaned_data["active"]:
                services.feed_unsubscribe(actor=request.user, feed=created)
        elif "active" in form.changed_data:
            if obj.active:
                services.feed_subscribe(actor=request.user, url=obj.url)
            else:
                services.feed_unsubscribe(actor=request.user, feed=obj)

    @admin.action(description="Refresh the selected feeds now", permissions=["change"])
    def refresh_now(self, request, queryset):
        feeds = list(queryset.filter(active=True))
        for feed in feeds:
            services.feed_refresh_request(actor=request.user, feed=feed)
        self.message_user(request, f"Refresh queued for {len(feeds)} active feed(s).", messages.SUCCESS)
