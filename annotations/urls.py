from django.urls import path

from . import capture_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("fact-checks/<int:claim_id>/", views.public_factcheck, name="public_factcheck"),
    path("captures/<int:pk>/", capture_views.capture_detail, name="capture_detail"),
    path("captures/<int:pk>/snapshot", capture_views.capture_snapshot, name="capture_snapshot"),
    path("captures/<int:pk>/retry", capture_views.capture_retry, name="capture_retry"),
]
