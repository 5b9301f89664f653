"""The corpus in the Django admin: fact-checks are read-only here (imports, feeds and our own verdicts write them)."""

from django.contrib import admin

from annotations.admin import ReadOnlyAdmin

from .models import FactCheck


@admin.register(FactCheck)
class FactCheckAdmin(ReadOnlyAdmin):
    list_display = ["claim_reviewed_short", "publisher_name", "rating_name", "date_published", "origin", "language"]
    list_filter = ["origin", "language", "feed"]
    search_fields = ["claim_reviewed", "headline", "url", "publisher_name"]
    exclude = ["search", "embedding"]

    @admin.display(description="Claim reviewed")
    def claim_reviewed_short(self, fact_check):
        return str(fact_check)
