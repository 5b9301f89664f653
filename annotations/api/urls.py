from django.conf import settings
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views
from .second_reviews import DeskSettingsView
from .tokens import TokenLogoutAllView, TokenLogoutView, TokenView

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("articles", views.ArticleViewSet)
router.register("revisions", views.RevisionViewSet, basename="revision")
router.register("claims", views.ClaimViewSet)
router.register("evidence", views.EvidenceViewSet)
router.register("verdicts", views.VerdictViewSet)
router.register("ratings", views.RatingViewSet)
router.register("sources", views.SourceViewSet)
router.register("captures", views.CaptureViewSet)
router.register("activity", views.ActivityViewSet)
router.register("claimreviews", views.ClaimReviewViewSet, basename="claimreview")
router.register("corrections", views.CorrectionViewSet, basename="correction")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's page carries one small inline <style>; only this page's policy allows inline styles.
    path(
        "docs/",
        csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("token/", TokenView.as_view(), name="token"),
    path("token/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("token/logout-all/", TokenLogoutAllView.as_view(), name="token-logout-all"),
    path("exports/claims.csv", views.ClaimExportView.as_view(), name="claims-csv"),
    path("exports/claims.json", views.ClaimJSONExportView.as_view(), name="claims-json"),
    path("desk-settings/", DeskSettingsView.as_view(), name="desk-settings"),
    *router.urls,
]
