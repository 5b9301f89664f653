"""Rendered pages of `GET /api/claims/`, kept in worker memory by the desk's version.

A client polling the list, or many people opening it, repeat one request while nothing changes. Computing its ETag
alone takes the count and every listed claim's row versions (row_versions.py); here, while the desk's version
(desk_version.py) is the one a page was rendered under, the stored ETag and body answer with no further query.
The key holds everything else the body depends on: the address with its query string, the host and scheme of the
links in it, the user (what they may see), and the time zone of its dates.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response

from .. import desk_version
from ..worker_memory import WorkerMemory

PAGES = WorkerMemory(1000)


def key_for(request) -> tuple | None:
    version = desk_version.current()
    if version is None:
        return None
    return (
        version,
        request.user.pk,
        request.get_full_path(),
        request.get_host(),
        request.is_secure(),
        timezone.get_current_timezone_name(),
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
    if key is not None and response.status_code == 200:
        PAGES.put(key, (etag, response.content, response["Content-Type"]))
