import hashlib

import factory

from annotations import models

ARTICLE_TEXT = (
    "Russia continues to be among the top five arms exporters in the world, Russian President Vladimir Putin said "
    "on Friday.\n\nThe stock of orders for Russian military products is very serious, Putin underscored.The interest "
    "is growing."
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    name = factory.Sequence(lambda n: f"Source {n}")
    domain = factory.Sequence(lambda n: f"source{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article

    title = factory.Sequence(lambda n: f"Article {n}")
    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ArticleRevision

    article = factory.SubFactory(ArticleFactory)
    number = 1
    text = ARTICLE_TEXT
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest())
    origin = models.ArticleRevision.Origin.PASTED


class RatingScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RatingScale
        django_get_or_create = ("name",)

    name = "Test scale"


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Rating

    scale = factory.SubFactory(RatingScaleFactory)
    label = factory.Sequence(lambda n: f"Rating {n}")
    value = 5
    position = factory.Sequence(lambda n: n + 1)


QUOTE = "among the top five arms exporters in the world"


def make_claim(revision, actor, quote: str = QUOTE, **fields):
    """A claim on the first occurrence of `quote` in the revision, through the service (as the UI makes them).

    It has a short statement unless one is given (a verdict can't be submitted without one); pass
    claim_reviewed="" for a claim without.
    """
    from annotations import services

    fields.setdefault("claim_reviewed", quote[:75])
    start = revision.text.index(quote)
    return services.claim_create(
        actor=actor, revision=revision, start=start, end=start + len(quote), exact=quote, **fields
    )


def add_evidence(claim, actor, url: str = "https://www.sipri.org/x", stance: str = "supports", **fields):
    """Evidence through the service: a claim needs some before it is approved or published without an override."""
    from annotations import services

    return services.evidence_add(actor=actor, claim=claim, url=url, stance=stance, **fields)
