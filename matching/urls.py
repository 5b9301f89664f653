"""The corpus's pages and the reader's same-claim buttons (the API's routes are in factcheck/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("claims/<int:claim_id>/same-as/", views.same_claim_link, name="same_claim_link"),
    path("claims/<int:claim_id>/same-as/remove/", views.same_claim_unlink, name="same_claim_unlink"),
]
