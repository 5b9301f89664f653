from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(perm: str, message: str):
    """Logged-in users only; those whose role lacks `perm` get the readable 403 page."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can(user, perm: str) -> bool:
    return user.is_authenticated and user.has_perm(perm)
