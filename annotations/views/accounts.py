"""Sign-in pages around django.contrib.auth's: the login page offers password reset only when mail can be sent, and
the reset pages say so when it cannot (no MAILERS: set EMAIL_HOST)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_reset": settings.PASSWORD_RESET_BY_EMAIL}


def password_reset(request):
    if not settings.PASSWORD_RESET_BY_EMAIL:
        return render(request, "registration/password_reset_off.html", status=404)
    return auth_views.PasswordResetView.as_view()(request)
