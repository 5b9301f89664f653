"""Rows for the dashboard's tests, made directly with the ORM at chosen times (the services stamp "now").

Claims, verdicts, second ratings, captures, link-rot checks and assignments, each placed in a week of the
dashboard's range (Period.last(...).week_starts) plus some hours, so that the expected numbers are known.
"""

import datetime
import hashlib

from django.utils import timezone

from annotations.models import (
    Article,
    ArticleRevision,
    Assignment,
    Capture,
    CaptureCheck,
    Claim,
    Rating,
    RatingScale,
    SecondReview,
    Source,
    Verdict,
)

TEXT = "Russia continues to be among the top five arms exporters in the world, Putin said on Friday."
QUOTE = "among the top five arms exporters"


def at(week: datetime.date, hours: float = 0) -> datetime.datetime:
    """`hours` after midnight on the Monday `week`, in the desk's time zone."""
    midnight = timezone.make_aware(datetime.datetime.combine(week, datetime.time.min))
    return midnight + datetime.timedelta(hours=hours)


def scale() -> dict[str, Rating]:
    """A five-level scale with one label off it (value None), by label."""
    ratings_scale, _ = RatingScale.objects.get_or_create(name="Dashboard scale", defaults={"is_default": True})
    labels = [("False", 1), ("Mostly false", 2), ("Half true", 3), ("Mostly true", 4), ("True", 5), ("Unproven", None)]
    return {
        label: Rating.objects.get_or_create(
            scale=ratings_scale, label=label, defaults={"value": value, "position": position}
        )[0]
        for position, (label, value) in enumerate(labels, start=1)
    }


_articles = iter(range(1, 10**6))


def article(outlet: Source | None = None, url: str | None = "auto", language: str = "en") -> ArticleRevision:
    number = next(_articles)
    if url == "auto":
        url = f"https://news{number}.example/story/{number}"
    item = Article.objects.create(title=f"Story {number}", url=url, outlet=outlet, language=language)
    return ArticleRevision.objects.create(
        article=item, number=1, text=TEXT, sha256=hashlib.sha256(TEXT.encode()).hexdigest(), origin="pasted"
    )


def claim(revision: ArticleRevision, author, created_at: datetime.datetime, statement: str = "Top five") -> Claim:
    start = TEXT.index(QUOTE)
    made = Claim.objects.create(
        article=revision.article,
        revision=revision,
        start=start,
        end=start + len(QUOTE),
        exact=QUOTE,
        claim_reviewed=statement,
        author=author,
    )
    Claim.objects.filter(pk=made.pk).update(created_at=created_at)
    made.created_at = created_at
    return made


def verdict(item: Claim, author, rating: Rating, *, reviewer=None, published_at=None, status=None) -> Verdict:
    """A draft verdict, or with `published_at` a published one (no activity entry: publication is published_at)."""
    if published_at is None:
        return Verdict.objects.create(claim=item, rating=rating, explanation="Because.", author=author)
    return Verdict.objects.create(
        claim=item,
        rating=rating,
        explanation="Because.",
        author=author,
        reviewer=reviewer,
        reviewed_at=published_at,
        status=status or Verdict.Status.PUBLISHED,
        published_at=published_at,
    )


def published(revision, author, reviewer, rating, created_at, published_at, **kwargs) -> Verdict:
    return verdict(
        claim(revision, author, created_at), author, rating, reviewer=reviewer, published_at=published_at, **kwargs
    )


def second_rating(item: Claim, checker, rating: Rating, rated_at: datetime.datetime) -> SecondReview:
    return SecondReview.objects.create(claim=item, required=True, checker=checker, rating=rating, rated_at=rated_at)


_urls = iter(range(1, 10**6))


def capture(finished_at: datetime.datetime, *, error_code: str = "") -> Capture:
    """A done capture, or with `error_code` a failed one, finished then."""
    url = f"https://source.example/page/{next(_urls)}"
    if error_code:
        return Capture.objects.create(
            url=url, status=Capture.Status.FAILED, error_code=error_code, error_message="x", finished_at=finished_at
        )
    return Capture.objects.create(url=url, status=Capture.Status.DONE, sha256="0" * 64, finished_at=finished_at)


def check(item: Capture, status: str, checked_at: datetime.datetime) -> CaptureCheck:
    made = CaptureCheck.objects.create(
        capture=item, status=status, error_code="" if status in ("unchanged", "changed") else "http_404"
    )
    CaptureCheck.objects.filter(pk=made.pk).update(checked_at=checked_at)
    return made


def assignment(*, due: datetime.date, claim: Claim | None = None, article: Article | None = None, **people):
    return Assignment.objects.create(claim=claim, article=article, due=due, **people)


def history(editor, reviewer, second, weeks: list[datetime.date]) -> None:
    """A desk's last weeks, for the browser test and for looking at the page: claims opened and published each
    week at various speeds over three outlets (one with a hostile name) and an article without outlet, second
    ratings that mostly agree, captures failing for a few reasons, link-rot checks and overdue work."""
    ratings = scale()
    outlets = [
        Source.objects.get_or_create(domain=domain, defaults={"name": name})[0]
        for name, domain in (
            ("Sputnik", "sputnikglobe.com"),
            ('Daily <b>Bugle</b> & "Co"', "bugle.example"),
            ("Wire Service", "wire.example"),
        )
    ]
    revisions = [article(outlet) for outlet in outlets] + [article(None)]
    labels = ["False", "Mostly false", "Half true", "Mostly true", "True", "Unproven"]
    reasons = ["timeout", "http_404", "blocked_domain"]
    n = 0
    for index, week in enumerate(weeks):
        for k in range(2 + index % 4):
            n += 1
            revision = revisions[n % len(revisions)]
            made = claim(revision, editor, at(week, 9 + k))
            if k % 3 == 2:
                continue  # still open
            rating = ratings[labels[n % len(labels)]]
            delay = 6 + (n * 7) % 60
            verdict(made, editor, rating, reviewer=reviewer, published_at=at(week, 9 + k + delay))
            if n % 2:
                # the second checker agrees, or is one step off
                value = rating.value
                other = rating if value is None or n % 5 else ratings[labels[min(value, 4)]]
                second_rating(made, second, other, at(week, 12 + k))
        for k in range(index % 3):
            capture(at(week, 10 + k), error_code=reasons[(index + k) % len(reasons)])
        for k in range(3):
            done = capture(at(week, 8 + k))
            check(done, ["unchanged", "changed", "gone"][(index + k) % 3] if k else "unchanged", at(week, 20 + k))
    today = timezone.localdate()
    for days, revision in ((3, revisions[0]), (9, revisions[1]), (1, revisions[2])):
        late = claim(revision, editor, at(weeks[-1], 1), statement=f"Late by {days} days")
        assignment(claim=late, due=today - datetime.timedelta(days=days), checker=editor, reviewer=reviewer)
