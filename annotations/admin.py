from django.contrib import admin

from .models import (
    Activity,
    Article,
    ArticleRevision,
    Capture,
    Claim,
    Correction,
    Evidence,
    Notice,
    Rating,
    RatingScale,
    Source,
    Verdict,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "kind", "reliability", "blocked"]
    list_filter = ["kind", "reliability", "blocked"]
    search_fields = ["name", "domain"]


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "origin", "sha256", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # revisions are immutable and added through the import service


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published_date", "url"]
    list_filter = ["outlet", "language"]
    search_fields = ["title", "url"]
    inlines = [RevisionInline]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "origin", "created_at"]
    readonly_fields = ["article", "number", "text", "sha256", "origin", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    fields = ["url", "stance", "quote", "note", "source", "quote_status"]
    readonly_fields = ["source", "quote_status"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "status", "anchor_state", "author", "created_at"]
    list_filter = ["status", "anchor_state"]
    search_fields = ["exact", "claim_reviewed", "claimant"]
    readonly_fields = ["article", "revision", "start", "end", "exact", "prefix", "suffix", "status", "author"]
    readonly_fields += ["withdrawn_at", "withdrawn_by", "withdrawal_reason"]  # withdrawn through the service
    inlines = [EvidenceInline]


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):
    list_display = ["url", "status", "http_status", "error_code", "attempts", "created_at"]
    list_filter = ["status", "error_code"]
    search_fields = ["url", "final_url"]
    readonly_fields = [f.name for f in Capture._meta.fields]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    inlines = [RatingInline]


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["claim", "rating", "status", "author", "reviewer", "updated_at"]
    list_filter = ["status", "rating"]
    # Workflow fields change only through the services, which enforce the two-person rule.
    readonly_fields = [
        "claim",
        "status",
        "author",
        "reviewer",
        "review_comment",
        "version",
        "submitted_at",
        "reviewed_at",
        "published_at",
        "corrected_at",
        "unpublished_at",
        "unpublish_reason",
        "article_changed_at",
        "article_change",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A published fact-check changes only by a public correction (or is unpublished), never silently here.
        if obj is not None and obj.status == Verdict.Status.PUBLISHED:
            return [*self.readonly_fields, "rating", "explanation"]
        return self.readonly_fields


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are public notes: published through the service, never edited or deleted afterwards."""

    list_display = ["created_at", "verdict", "author"]
    readonly_fields = [f.name for f in Correction._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "message", "read_at"]
    list_filter = ["kind"]
    readonly_fields = ["user", "kind", "message", "claim", "verdict", "created_at"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "from_state", "to_state", "claim"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in Activity._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
