"""An Atom feed of published fact-checks, newest first (django.contrib.syndication).

Absolute links come from SITE_URL, as in ClaimReview, so that the feed names the same addresses whatever host the
request came through. Readers revalidate with the body's hash as the ETag: the feed is small, and a hash cannot miss
a change (a rating renamed, a fact-check unpublished) the way a date would.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse
from django.utils.decorators import decorator_from_middleware
from django.utils.feedgenerator import Atom1Feed

from ..claimreview import public_url, short_claim
from ..selectors import published_verdicts
from ..webannotation import absolute
from .public import public_name

FEED_ITEMS = 50


class PublishedFactChecksFeed(Feed):
    feed_type = Atom1Feed
    description_template = "annotations/_public_feed_entry.html"  # the entry's HTML summary, escaped

    def title(self):
        return f"{settings.FACTCHECK_ORGANIZATION_NAME}: published fact-checks"

    def subtitle(self):
        return "Claims we checked, with our rating and explanation, newest first."

    def link(self):
        return absolute(reverse("published_factchecks"))

    def feed_url(self):
        return absolute(reverse("public_feed"))

    def author_name(self):
        return settings.FACTCHECK_ORGANIZATION_NAME

    def author_link(self):
        return settings.FACTCHECK_ORGANIZATION_URL

    def items(self):
        return published_verdicts().select_related("author", "reviewer")[:FEED_ITEMS]

    def item_title(self, verdict):
        return f"{verdict.rating.label}: {short_claim(verdict.claim)}"

    def item_link(self, verdict):
        return public_url(verdict)

    def item_pubdate(self, verdict):
        return verdict.published_at

    def item_updateddate(self, verdict):
        return verdict.corrected_at or verdict.published_at

    def item_author_name(self, verdict):
        return public_name(verdict.author)

    def item_categories(self, verdict):
        return [verdict.rating.label]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        verdict = kwargs["item"]
        context["checker"] = public_name(verdict.author)
        context["reviewer"] = public_name(verdict.reviewer) if verdict.reviewer else ""
        return context


@decorator_from_middleware(ConditionalGetMiddleware)  # an ETag of the body, and 304 when it matches
def public_feed(request):
    response = PublishedFactChecksFeed()(request)
    response["Cache-Control"] = "public, no-cache"
    return response
