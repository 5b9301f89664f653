"""The discussion's panel forms (the API's routes are in factcheck/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("claims/<int:claim_id>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/remove/", views.comment_remove, name="comment_remove"),
]
