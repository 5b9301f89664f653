"""Who may call what. Reads need the role's view permission; writes are decided by the services, which check roles."""

from rest_framework import permissions


class CanViewModel(permissions.BasePermission):
    """Signed-in users whose role may view this kind of object; writes go on to the service's own check."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = view.get_queryset().model
        return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
