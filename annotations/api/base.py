"""What every API view shares: authentication order, JSON only, the body-size cap, pagination."""

from django.conf import settings
from rest_framework import exceptions, parsers, renderers
from rest_framework.authentication import SessionAuthentication

from ..storable_text import first_unstorable
from .authentication import TokenAuthentication
from .exceptions import PayloadTooLarge
from .pagination import Pagination
from .permissions import CanViewModel


class StrictJSONParser(parsers.JSONParser):
    """JSON that PostgreSQL can store: no NaN, no deep-nesting crash, no NUL or unpaired UTF-16 surrogate."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the document is nested too deeply.") from None
        # The middleware (storable_text) refuses these first; this covers views reached without it (test factories).
        found = first_unstorable(data)
        if found is not None:
            field, reason = found
            raise exceptions.ValidationError({field or "non_field_errors": [reason]})
        return data


def check_body_size(request) -> None:
    # DRF parses the raw stream, bypassing HttpRequest.body's DATA_UPLOAD_MAX_MEMORY_SIZE check, so check here.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise exceptions.ParseError("Content-Length is not a number.") from None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise PayloadTooLarge(f"The request body is {length} bytes; the limit is {limit}.")


class APIDefaults:
    """Mixed into every API view. Token first, so that an anonymous call gets 401 with `WWW-Authenticate: Token`."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [CanViewModel]
    pagination_class = Pagination
    parser_classes = [StrictJSONParser]
    renderer_classes = [renderers.JSONRenderer]
    # Extra error responses documented in the schema for this view's writes (see schema.AutoSchema).
    conflict_actions: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        check_body_size(request)
        super().initial(request, *args, **kwargs)
