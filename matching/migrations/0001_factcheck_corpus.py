"""The fact-check corpus and feed subscriptions.

FactCheck.search is kept by a trigger: claim_reviewed (A) and headline (B) in the text search configuration of the
row's language (annotations_search_config, from annotations' migration 0009; 'simple' when unknown). Not a generated
column: a language's configuration is looked up (a cast to regconfig), which PostgreSQL does not count as immutable.
pg_trgm (a trusted extension: the database owner may create it) indexes the statement by trigrams.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.operations
import django.contrib.postgres.search
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SEARCH_TRIGGER = """
CREATE FUNCTION matching_factcheck_search() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cfg regconfig := annotations_search_config(NEW.language);
BEGIN
  NEW.search := setweight(to_tsvector(cfg, coalesce(NEW.claim_reviewed, '')), 'A')
             || setweight(to_tsvector(cfg, coalesce(NEW.headline, '')), 'B');
  RETURN NEW;
END $$;
-- Not on updates of the other columns (the matching step writing embeddings): the vector stays as it is. Django
-- writes back the vector it read along with the text, and `search` in the list makes that recompute it too.
CREATE TRIGGER matching_factcheck_search
  BEFORE INSERT OR UPDATE OF claim_reviewed, headline, language, search ON matching_factcheck
  FOR EACH ROW EXECUTE FUNCTION matching_factcheck_search();
"""
DROP_SEARCH_TRIGGER = """
DROP TRIGGER matching_factcheck_search ON matching_factcheck;
DROP FUNCTION matching_factcheck_search();
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("annotations", "0010_local_orderings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        django.contrib.postgres.operations.TrigramExtension(),
        migrations.CreateModel(
            name="ClaimReviewFeed",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("url", models.URLField(max_length=2000, unique=True)),
                (
                    "active",
                    models.BooleanField(default=True, help_text="Refreshed by the periodic task while active."),
                ),
                ("added_at", models.DateTimeField(auto_now_add=True)),
                ("last_fetched_at", models.DateTimeField(blank=True, null=True)),
                (
                    "last_status",
                    models.CharField(blank=True, choices=[("ok", "OK"), ("failed", "Failed")], max_length=16),
                ),
                (
                    "last_error",
                    models.TextField(blank=True, help_text="Why the last refresh failed, or the records it refused."),
                ),
                (
                    "last_imported",
                    models.PositiveIntegerField(default=0, help_text="New fact-checks at the last refresh."),
                ),
                (
                    "last_updated",
                    models.PositiveIntegerField(default=0, help_text="Fact-checks that changed at the last refresh."),
                ),
                (
                    "last_skipped",
                    models.PositiveIntegerField(default=0, help_text="Unchanged (or our own) at the last refresh."),
                ),
                (
                    "last_rejected",
                    models.PositiveIntegerField(default=0, help_text="Records refused at the last refresh."),
                ),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "ClaimReview feed",
                "ordering": ["url"],
            },
        ),
        migrations.CreateModel(
            name="FactCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("url", models.URLField(max_length=2000, unique=True)),
                (
                    "publisher_name",
                    models.CharField(blank=True, help_text="The fact-checker (author).", max_length=500),
                ),
                ("publisher_url", models.URLField(blank=True, max_length=2000)),
                ("claim_reviewed", models.TextField()),
                ("headline", models.TextField(blank=True)),
                (
                    "rating_name",
                    models.TextField(blank=True, help_text="reviewRating.alternateName, e.g. False, Mostly true."),
                ),
                ("rating_value", models.FloatField(blank=True, null=True)),
                ("rating_best", models.FloatField(blank=True, null=True)),
                ("rating_worst", models.FloatField(blank=True, null=True)),
                ("date_published", models.DateField(blank=True, null=True)),
                ("claimant", models.CharField(blank=True, help_text="itemReviewed.author.name", max_length=500)),
                (
                    "appearance_urls",
                    models.JSONField(blank=True, default=list, help_text="Where the claim appeared (http(s) URLs)."),
                ),
                (
                    "language",
                    models.CharField(
                        blank=True, help_text="BCP 47 code (en, pt-BR), if given.", max_length=35, null=True
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[("file", "Imported file"), ("feed", "Feed"), ("own", "Our own")], max_length=8
                    ),
                ),
                ("imported_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("search", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("embedding", models.BinaryField(blank=True, null=True)),
                ("embedding_model", models.CharField(blank=True, editable=False, max_length=200)),
                (
                    "claim",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fact_check",
                        to="annotations.claim",
                    ),
                ),
                (
                    "feed",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="fact_checks",
                        to="matching.claimreviewfeed",
                    ),
                ),
            ],
            options={
                "verbose_name": "fact-check",
                "ordering": ["-date_published", "-id"],
            },
        ),
        migrations.AddConstraint(
            model_name="claimreviewfeed",
            constraint=models.CheckConstraint(
                condition=models.Q(("url__startswith", "http://"), ("url__startswith", "https://"), _connector="OR"),
                name="feed_url_http",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimreviewfeed",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("last_status", "failed"), _negated=True),
                    models.Q(("last_error", ""), _negated=True),
                    _connector="OR",
                ),
                name="feed_failed_has_reason",
            ),
        ),
        migrations.RunSQL(SEARCH_TRIGGER, reverse_sql=DROP_SEARCH_TRIGGER),
        migrations.AddIndex(
            model_name="factcheck",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search"], name="factcheck_search_gin"),
        ),
        migrations.AddIndex(
            model_name="factcheck",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["claim_reviewed"], name="factcheck_claim_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddConstraint(
            model_name="factcheck",
            constraint=models.CheckConstraint(
                condition=models.Q(("url__startswith", "http://"), ("url__startswith", "https://"), _connector="OR"),
                name="factcheck_url_http",
            ),
        ),
        migrations.AddConstraint(
            model_name="factcheck",
            constraint=models.CheckConstraint(
                condition=models.Q(("claim_reviewed", ""), _negated=True), name="factcheck_claim_reviewed_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="factcheck",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("claim__isnull", False), ("origin", "own")),
                    models.Q(models.Q(("origin", "own"), _negated=True), ("claim__isnull", True)),
                    _connector="OR",
                ),
                name="factcheck_own_has_claim",
            ),
        ),
        migrations.AddConstraint(
            model_name="factcheck",
            constraint=models.CheckConstraint(
                condition=models.Q(("feed__isnull", True), ("origin", "feed"), _connector="OR"),
                name="factcheck_feed_origin",
            ),
        ),
    ]
