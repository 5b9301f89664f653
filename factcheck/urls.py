from django.contrib import admin
from django.urls import include, path

from annotations.api.container import AnnotationContainer, AnnotationDetail
from annotations.views import accounts
from dashboard.api import DashboardView
from discussion.api import ClaimComments, CommentDetail, DeskMembers
from matching.api import SimilarFactChecks
from matching.api_same_as import ClaimSameAs

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before django.contrib.auth's, which they replace: see annotations/views/accounts.py.
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/fact-checks/similar/", SimilarFactChecks.as_view(), name="fact-checks-similar"),
    path("api/claims/<int:pk>/same-as/", ClaimSameAs.as_view(), name="claim-same-as"),
    path("api/dashboard/", DashboardView.as_view(), name="dashboard-api"),
    path("api/claims/<int:pk>/comments/", ClaimComments.as_view(), name="claim-comments"),
    path("api/comments/<int:pk>/", CommentDetail.as_view(), name="comment-detail"),
    path("api/desk-members/", DeskMembers.as_view(), name="desk-members"),
    # Suggestions sit beside the revision routes (/api/revisions/{id}/suggestions/) but belong to their own app,
    # which annotations must not import: so they are routed here, first.
    path("api/", include("checkworthiness.urls")),
    path("api/", include("annotations.api.urls")),
    path("annotations/", AnnotationContainer.as_view(), name="annotation-list"),
    path("annotations/<int:pk>", AnnotationDetail.as_view(), name="annotation-detail"),
    path("", include("matching.urls")),
    path("", include("dashboard.urls")),
    path("", include("discussion.urls")),
    path("", include("annotations.urls")),
]
