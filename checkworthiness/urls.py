"""Included by factcheck/urls.py under `api/`, ahead of annotations' API routes."""

from django.urls import path

from .api import DismissalsView, SuggestionsView

urlpatterns = [
    path("revisions/<int:pk>/suggestions/", SuggestionsView.as_view(), name="revision-suggestions"),
    path(
        "revisions/<int:pk>/suggestions/dismissals/", DismissalsView.as_view(), name="revision-suggestion-dismissals"
    ),
]
