from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(perm: str, refusal: str):
    """Signed-in users only (Django's login_required); one whose role lacks `perm` gets the 403 page saying `refusal`,
    the message the service gives for the same action (pass a roles.Rule: `@role_required(*roles.IMPORT_ARTICLES)`).

    Not Django's permission_required: it sends a signed-in user without the permission to the login page (or, with
    raise_exception, answers an anonymous visitor 403 instead of the login page), and its 403 carries no message.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
