"""Anonymous readers of a published fact-check get the whole page from this worker's memory.

The public page is the one page many strangers read, and the same for all of them. Rendering it goes through the
session, authentication, messages and CSP middleware, the view and the templates: most of a request's time. Here,
just after the security and static-file middleware, an anonymous GET of `/fact-checks/<id>/` costs one indexed
query (the published verdict's id, version and last change) and a dictionary lookup.

Why not Django's cache middleware: it keys by URL and expires by time, so an unpublished or corrected fact-check
would stay out there until the timeout, and it would replay the CSP nonce of the first response to everyone. Here:
- publishing, correcting and unpublishing change the verdict's version, checked on every request: the page
  changes (or goes) at once, on every worker;
- what else the page shows (sources' names and captures, the rating scale, the checker's and reviewer's names) is
  in the view's whole stamp (views/public.py), whose query costs several times more (planning its subqueries): it
  is checked again when a stored page is INPUTS_RECHECK seconds old, so such a change shows within that time;
  entries also expire after PUBLIC_PAGE_TTL seconds;
- each answer gets a fresh CSP nonce: the stored page's nonce is replaced in the body and the header;
- only answers that are the same for everyone are stored: 200, no cookie set, not private; visitors with a session
  (signed in, who see their own navigation) and requests with a query string go through the whole stack.
Memory is bounded (an LRU of MAX_ENTRIES pages per worker).
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import get_conditional_response

from .views.public import PUBLIC_PAGE_TTL, published_stamp, published_version
from .worker_memory import WorkerMemory

MAX_ENTRIES = 512
INPUTS_RECHECK = 10  # seconds


@dataclass
class StoredPage:
    version: tuple  # published_version: checked on every request
    stamp: tuple  # published_stamp: checked again every INPUTS_RECHECK seconds
    stored_at: float
    checked_at: float
    headers: tuple[tuple[str, str], ...]
    body: bytes
    nonce: str | None  # the CSP nonce in the stored body and header, replaced on every answer


class PublicPageCache:
    def __init__(self, get_response):
        self.get_response = get_response
        self.pages = WorkerMemory(MAX_ENTRIES)
        self._path = None

    def path_pattern(self) -> re.Pattern:
        if self._path is None:
            prefix, suffix = reverse("public_factcheck", args=[987654321]).split("987654321")
            self._path = re.compile(rf"{re.escape(prefix)}(\d+){re.escape(suffix)}\Z")
        return self._path

    def __call__(self, request):
        claim_id = self.cacheable_claim(request)
        if claim_id is None:
            return self.get_response(request)
        try:
            return self.from_memory(request, claim_id)
        except DatabaseError:
            return self.get_response(request)  # the whole stack answers (503 when the database is down)

    def from_memory(self, request, claim_id: int):
        version = published_version(claim_id)
        if version is None:
            return self.get_response(request)  # nothing published here: the view says 404 or 410
        page = self.pages.get(claim_id)
        now = time.monotonic()
        if page is not None and page.version == version and now - page.stored_at < PUBLIC_PAGE_TTL:
            if now - page.checked_at < INPUTS_RECHECK:
                return self.answer(request, page)
            stamp = published_stamp(claim_id)
            if stamp == page.stamp:
                page.checked_at = now
                return self.answer(request, page)
        else:
            stamp = published_stamp(claim_id)
        if stamp is None:  # unpublished between the two queries
            return self.get_response(request)
        request._published_stamp = stamp  # the view's ETag and fragments use it: read once per request
        response = self.get_response(request)
        self.store(request, claim_id, version, stamp, response)
        return response

    def cacheable_claim(self, request) -> int | None:
        if request.method != "GET" or request.META.get("QUERY_STRING"):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        match = self.path_pattern().match(request.path_info)
        return int(match.group(1)) if match else None

    def store(self, request, claim_id: int, version: tuple, stamp: tuple, response) -> None:
        if response.status_code != 200 or response.streaming or response.cookies:
            return
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return
        nonce = getattr(request, "_csp_nonce", None)
        now = time.monotonic()
        page = StoredPage(
            version=version,
            stamp=stamp,
            stored_at=now,
            checked_at=now,
            headers=tuple(response.items()),
            body=response.content,
            nonce=str(nonce) if nonce else None,  # a LazyNonce is falsy until a template used it
        )
        self.pages.put(claim_id, page)

    def answer(self, request, page: StoredPage) -> HttpResponse:
        headers = dict(page.headers)
        etag = headers.get("ETag")
        if etag:
            not_modified = get_conditional_response(request, etag=etag)
            if isinstance(not_modified, HttpResponseNotModified):
                for name in ("ETag", "Cache-Control", "Vary"):
                    if name in headers:
                        not_modified[name] = headers[name]
                return not_modified
        body = page.body
        if page.nonce:
            fresh = secrets.token_urlsafe(16)
            body = body.replace(page.nonce.encode(), fresh.encode())
            headers = {name: value.replace(page.nonce, fresh) for name, value in headers.items()}
        response = HttpResponse(body, status=200)
        for name, value in headers.items():
            if name != "Content-Length":
                response[name] = value
        response["Content-Length"] = str(len(body))
        return response
