from .models import Notice
from .roles import role_of


def roles(request):
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else None}


def notices(request):
    """The unread-notice count for the nav, counted only when a page shows it (a callable: templates call it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": lambda: Notice.objects.filter(user=user, read_at__isnull=True).count()}
