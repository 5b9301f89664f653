"""What the API's viewsets share: the allowed methods, a viewset that validates writes with its own serializer,
and the 201/200 response of a create."""

from rest_framework import status, viewsets
from rest_framework.response import Response

from ..base import APIDefaults

READ_WRITE = ["get", "post", "patch", "head", "options"]
READ_CREATE = ["get", "post", "head", "options"]


class ApiViewSet(APIDefaults, viewsets.GenericViewSet):
    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update") and self.write_serializer_class:
            return self.write_serializer_class
        return self.serializer_class

    def validated(self, serializer_class=None) -> dict:
        serializer = (serializer_class or self.get_serializer_class())(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def created(serializer, instance, is_new: bool = True) -> Response:
    return Response(serializer(instance).data, status=status.HTTP_201_CREATED if is_new else status.HTTP_200_OK)
