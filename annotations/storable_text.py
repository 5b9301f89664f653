"""Text PostgreSQL can store: no NUL character and no unpaired UTF-16 surrogate, refused where input arrives.

PostgreSQL's text and jsonb reject U+0000, and UTF-8 cannot encode a lone surrogate (JSON's "\\ud800" escape makes
one), so such a value passed every check and then failed at the database with a 500. One middleware checks every
request's query string, form fields and JSON body, whatever view or parser handles it later (the W3C container
reads its JSON by hand, some views read request.GET directly), and answers 400 naming the field. JSON that travels
inside a form field is decoded again by the form: StorableJSONField checks what it decodes with the same function.
"""

import json
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

JSON_TYPES = ("application/json", "application/ld+json")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Paths whose clients read JSON errors ({field: [reasons]}, as the API's other 400s).
JSON_ERROR_PATHS = ("/api/", "/annotations/")


def problem(text: str) -> str | None:
    """What makes this text unstorable, or None."""
    if "\x00" in text:
        return "contains a NUL character (U+0000), which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"contains an unpaired UTF-16 surrogate (U+{ord(text[error.start]):04X}), which is not valid text"
    return None


def printable(name: str) -> str:
    """A field name fit to show: the characters it is refused for are written as escapes."""
    return "".join(c if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF else f"\\u{ord(c):04x}" for c in name)


def _walk(value, path: str) -> Iterator[tuple[str, str, bool]]:
    """(path, text, is_a_key) for every string in a decoded JSON value, keys included."""
    # Iterative: a document json.loads accepted may still be nested deeper than Python's recursion limit.
    stack = [(path, value)]
    while stack:
        here, item = stack.pop()
        if isinstance(item, str):
            yield here, item, False
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                child_path = f"{here}.{key}" if here else str(key)
                yield child_path, key, True
                children.append((child_path, child))
            stack.extend(reversed(children))  # popped in document order
        elif isinstance(item, list):
            stack.extend(reversed([(f"{here}[{index}]", child) for index, child in enumerate(item)]))


def first_unstorable(value, path: str = "") -> tuple[str, str] | None:
    """(field path, reason) of the first unstorable string in a decoded JSON value, or None."""
    for here, text, is_key in _walk(value, path):
        if reason := problem(text):
            return printable(here), f"{'Its name' if is_key else 'This value'} {reason}."
    return None


def _fields(request) -> Iterator[tuple[str, str, bool]]:
    """(name, text, is_the_name) for the query string and, for a posted form, its fields."""
    sources = [request.GET]
    if request.method == "POST" and (request.content_type or "") in FORM_TYPES:
        sources.append(request.POST)
    for data in sources:
        for name, values in data.lists():
            yield name, name, True
            yield from ((name, value, False) for value in values)


def _json_body(request):
    if (request.content_type or "") not in JSON_TYPES:
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if not length or (limit is not None and length > limit):
        return None  # the API answers 413 for an over-long body
    try:
        return json.loads(request.body)
    except (ValueError, RecursionError):
        return None  # the parser answers 400 with its own message


def unstorable_field(request) -> tuple[str, str] | None:
    """(field, reason) for the first field of the request that cannot be stored, or None."""
    if reason := problem(request.path):
        return "path", f"The address {reason}."
    for name, text, is_name in _fields(request):
        if reason := problem(text):
            return printable(name), f"{'Its name' if is_name else 'This value'} {reason}."
    body = _json_body(request)
    return first_unstorable(body) if body is not None else None


def refused(request, field: str, reason: str) -> HttpResponse:
    if request.path.startswith(JSON_ERROR_PATHS) or "json" in request.headers.get("Accept", ""):
        return JsonResponse({field: [reason]}, status=400)
    html = render_to_string("400.html", {"field": field, "reason": reason}, request=request)
    return HttpResponse(html, status=400)


class RefuseUnstorableText:
    """Answers 400 naming the field when a request carries text PostgreSQL cannot store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = unstorable_field(request)
        if found is not None:
            return refused(request, *found)
        return self.get_response(request)


class StorableJSONField(forms.JSONField):
    """A form field holding JSON: what it decodes is checked like a JSON body (the middleware sees only a string)."""

    def to_python(self, value):
        decoded = super().to_python(value)
        found = first_unstorable(decoded)
        if found is not None:
            field, reason = found
            raise ValidationError(f"{field}: {reason}" if field else reason)
        return decoded

    def bound_data(self, data, initial):
        # A refused value goes back to the page as the string that was posted (JSON escapes are plain ASCII), not
        # decoded and dumped again, which would put the surrogate itself into the page.
        decoded = super().bound_data(data, initial)
        if not isinstance(decoded, InvalidJSONInput) and first_unstorable(decoded) is not None:
            return InvalidJSONInput(data)
        return decoded
