"""ClaimReview feed subscriptions (admins) and their refresh by a worker, through the desk's SSRF-safe fetching.

A refresh fetches the feed with the capture pipeline's policy (annotations.services.fetch_policy: the address
checks on every hop, the redirects, the ports, the timeouts and the deadline), with the feed's content types added
and the corpus's size cap, then imports what it reads through importing.factchecks_import. A paginated answer (this
project's /api/claimreviews/) is followed page by page, on the feed's own origin only. A failed fetch, or a body that
is not a ClaimReview feed, imports nothing and is recorded on the feed with the reason; the next periodic refresh
tries again.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from annotations import fetching
from annotations import jobs as desk_jobs
from annotations.services import fetch_policy
from annotations.services.common import http_url_problem, record, require

from .. import jobs, rules
from ..claimreview_parse import NotAFeed, parse
from ..models import ClaimReviewFeed, FactCheck
from .importing import ImportResult, factchecks_import

logger = logging.getLogger(__name__)
FEED_TYPES = frozenset(
    {"application/json", "application/ld+json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines"}
)
ERRORS_KEPT = 20  # refused records listed on the feed (the count says how many there were)


def feed_policy() -> fetching.FetchPolicy:
    """The capture pipeline's fetch policy, with JSON feeds allowed and the corpus's size cap."""
    policy = fetch_policy()
    return replace(
        policy,
        allowed_content_types=policy.allowed_content_types | FEED_TYPES,
        max_body_bytes=settings.CLAIMREVIEW_MAX_BYTES,
    )


def feed_url_problem(url: str) -> str | None:
    """Why a feed URL cannot be subscribed to (a message), or None; the admin's form asks the same."""
    if problem := http_url_problem(url):
        return problem
    # What the fetcher would refuse whatever a name resolves to (ports, credentials, a literal private address);
    # names are resolved and checked at every fetch, not here (what they resolve to may change).
    policy = feed_policy()
    try:
        target = fetching.parse_url(url, policy)
        if target.ip_literal:
            fetching.check_address(target.host, policy, url=target.url)
    except fetching.FetchRefused as error:
        return error.message
    return None


def feed_subscribe(*, actor, url: str) -> ClaimReviewFeed:
    """Subscribe to a feed (or take up an inactive subscription again); its first refresh is queued at commit."""
    require(actor, *rules.MANAGE_FEEDS)
    url = (url or "").strip()
    if problem := feed_url_problem(url):
        raise ValidationError({"url": problem})
    feed, created = ClaimReviewFeed.objects.get_or_create(url=url, defaults={"added_by": actor})
    if not created and not feed.active:
        feed.active = True
        feed.save(update_fields=["active"])
    record(actor=actor, action="feed_subscribed", comment=url)
    desk_jobs.send_on_commit(jobs.REFRESH_FEED, feed.pk)
    return feed


def feed_unsubscribe(*, actor, feed: ClaimReviewFeed) -> ClaimReviewFeed:
    """Stop refreshing a feed; the fact-checks it brought stay in the corpus."""
    require(actor, *rules.MANAGE_FEEDS)
    ClaimReviewFeed.objects.filter(pk=feed.pk).update(active=False)
    feed.active = False
    record(actor=actor, action="feed_unsubscribed", comment=feed.url)
    return feed


def feed_refresh_request(*, actor, feed: ClaimReviewFeed) -> None:
    """Queue a refresh now (the admin's action), at commit."""
    require(actor, *rules.MANAGE_FEEDS)
    desk_jobs.send_on_commit(jobs.REFRESH_FEED, feed.pk)


def feeds_refresh_all() -> int:
    """Queue a refresh of every active feed (Celery beat); how many were sent."""
    ids = list(ClaimReviewFeed.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    return sum(desk_jobs.send(jobs.REFRESH_FEED, pk) for pk in ids)


def _release_connection() -> None:
    # As the capture fetch does: a fetch worker's threads share a small pool, so none keeps a connection while it
    # waits on the network.
    if getattr(connection, "pool", None) is not None and not connection.in_atomic_block:
        connection.close()


def _same_origin(url: str, feed_url: str) -> bool:
    try:
        one, two = urlsplit(url), urlsplit(feed_url)
        return (one.scheme, one.hostname, one.port) == (two.scheme, two.hostname, two.port)
    except ValueError:
        return False


def _summary(problem: str | None, result: ImportResult, pages_left: bool) -> str:
    lines = [problem] if problem else []
    if result.errors:
        lines.append(f"{len(result.errors)} record{'s' if len(result.errors) != 1 else ''} refused:")
        lines += [f"  {error}" for error in result.errors[:ERRORS_KEPT]]
        if len(result.errors) > ERRORS_KEPT:
            lines.append(f"  ... and {len(result.errors) - ERRORS_KEPT} more")
    if pages_left:
        lines.append(f"Stopped after {settings.CLAIMREVIEW_FEED_MAX_PAGES} pages (CLAIMREVIEW_FEED_MAX_PAGES).")
    return "\n".join(lines)


def feed_refresh(feed_id: int) -> str:
    """Fetch an active feed, page by page, and import it; what happened is recorded on the feed ("ok"/"failed")."""
    feed = ClaimReviewFeed.objects.filter(pk=feed_id, active=True).first()
    if feed is None:
        return "skipped"
    policy, total, problem = feed_policy(), ImportResult(), None
    url, seen = feed.url, set()
    while url and len(seen) < settings.CLAIMREVIEW_FEED_MAX_PAGES:
        seen.add(url)
        where = "The feed" if url == feed.url else f"Page {len(seen)} ({url})"
        _release_connection()
        try:
            fetched = fetching.fetch(url, policy)
            parsed = parse(
                fetched.body,
                name=urlsplit(fetched.final_url).path,
                content_type=fetched.content_type,
                charset=fetched.charset,
                max_bytes=settings.CLAIMREVIEW_MAX_BYTES,
            )
        except fetching.FetchError as error:
            problem = f"{where} could not be fetched: {error.message} ({error.code})."
            break
        except NotAFeed as error:
            problem = f"{where} is not a ClaimReview feed: {error}."
            break
        except Exception as error:  # a bug, not the feed's fault: recorded, logged, tried again at the next refresh
            logger.exception("Unexpected error refreshing feed %s", feed.pk)
            problem = f"{where}: unexpected error ({type(error).__name__}: {error})."
            break
        total.add(factchecks_import(actor=None, items=parsed.items, origin=FactCheck.Origin.FEED, feed=feed))
        following = parsed.next_url
        url = following if following and following not in seen and _same_origin(following, feed.url) else None
    failed = problem is not None or (total.valid == 0 and bool(total.errors))
    if problem is None and failed:
        problem = "No valid ClaimReview in the feed."
    ClaimReviewFeed.objects.filter(pk=feed.pk).update(
        last_fetched_at=timezone.now(),
        last_status=ClaimReviewFeed.Status.FAILED if failed else ClaimReviewFeed.Status.OK,
        last_error=_summary(problem, total, pages_left=problem is None and url is not None),
        last_imported=total.created,
        last_updated=total.updated,
        last_skipped=total.skipped,
        last_rejected=len(total.errors),
    )
    return "failed" if failed else "ok"
