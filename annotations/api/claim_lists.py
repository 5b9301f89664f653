"""Rendered pages of `GET /api/claims/`, kept in worker memory by the desk's version.

A client polling the list, or many people opening it, repeat one request while nothing changes. Computing its ETag
alone takes the count and every listed claim's row versions (row_versions.py); here, while the desk's version
(desk_version.py) is the one a page was rendered under, the stored ETag and body answer with no further query.
The key holds everything else the body depends on: the address with its query string, the host and scheme of the
links in it, the user (what they may see), the time zone of its dates and the language. Whoever makes the body
depend on more (token scopes, fields per role) adds it to the key.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response

from .. import desk_version
from ..worker_memory import WorkerMemory

# A page of 50 claims (the default) is some 75 KB; larger pages are not kept, so that no client can fill a worker's
# memory by asking for many long pages: at most about 25 MB per worker.
PAGES = WorkerMemory(200)
MAX_KEPT_BYTES = 128 * 1024


def key_for(request) -> tuple | None:
    version = desk_version.current()
    if version is None:
        return None
    return (
        version,
        request.user.pk,
        request.get_full_path(),
        request.accepted_media_type,  # JSON's `indent` parameter changes the body
        request.get_host(),
        request.is_secure(),
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )


def stored_response(request, key) -> HttpResponse | None:
    """The stored page (or a 304 for a client that has it), or None when there is none for this key."""
    stored = PAGES.get(key) if key is not None else None
    if stored is None:
        return None
    etag, body, content_type = stored
    response = get_conditional_response(request, etag=etag) or HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    return response


def store(key, etag: str, response) -> None:
    """Keep a rendered 200 (the caller has rendered it) for the next request with the same key."""
    if key is not None and response.status_code == 200 and len(response.content) <= MAX_KEPT_BYTES:
        PAGES.put(key, (etag, response.content, response["Content-Type"]))
