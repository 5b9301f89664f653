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
    """A claim on the first occurrence of `quote` in the revision, through the service (as the UI makes them)."""
    from annotations import services

    start = revision.text.index(quote)
    return services.claim_create(
        actor=actor, revision=revision, start=start, end=start + len(quote), exact=quote, **fields
    )
