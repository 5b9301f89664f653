"""Sign-in pages around django.contrib.auth's: the login page offers password reset only when mail can be sent, and
the reset pages say so when it cannot (no MAILERS: set EMAIL_HOST)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render, resolve_url


def landing_url(user) -> str:
    """Where a sign-in leads by role: reviewers to the review queue, everyone else home (editors: the articles)."""
    return resolve_url("review_queue" if user.has_perm("annotations.review_verdict") else settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_reset": settings.PASSWORD_RESET_BY_EMAIL}

    def get_success_url(self):
        # The nav's "Log in" link asks to come back to the page it was on; from the home page that means "wherever
        # my role starts", not the home page itself.
        wanted = self.get_redirect_url()
        if wanted and wanted != resolve_url("home"):
            return wanted
        return landing_url(self.request.user)


def password_reset(request):
    if not settings.PASSWORD_RESET_BY_EMAIL:
        return render(request, "registration/password_reset_off.html", status=404)
    return auth_views.PasswordResetView.as_view()(request)
