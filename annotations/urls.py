from django.urls import path

from . import views
from .anchoring_views import article_anchoring

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("fact-checks/<int:claim_id>/", views.public_factcheck, name="public_factcheck"),
]
urlpatterns += [
    path("articles/<int:pk>/anchoring/", article_anchoring, name="article_anchoring"),
]
