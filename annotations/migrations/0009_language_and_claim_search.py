"""Article languages (BCP 47, checked), and full-text search that follows them, kept by triggers.

- Article.language: existing values are normalised; an article still on the old default 'en' whose text is
  confidently in another language gets the detected one. Until now no import path but the API could set a language,
  so 'en' mostly meant "not given", while anything else was somebody's choice and is kept.
- annotations_search_config(language): the PostgreSQL text search configuration of a language (a copy of
  annotations.languages.SEARCH_CONFIGS, which a test keeps equal).
- Article.search_vector (title, byline, outlet name and domain, newest revision's text) and ClaimSearch.vector (statement, quote, claimant,
  verdict explanation, evidence quotes, notes and URLs) are computed by triggers in the article's configuration,
  whichever path writes (services, admin, bulk updates), so search never reads a stale document.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

SEARCH_CONFIGS = {
    "ar": "arabic",
    "arz": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
_CASES = "\n".join(f"    WHEN '{code}' THEN '{config}'" for code, config in SEARCH_CONFIGS.items())

FUNCTIONS = """
CREATE FUNCTION annotations_search_config(language text) RETURNS regconfig
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (CASE lower(split_part(coalesce(language, ''), '-', 1))
__CASES__
    ELSE 'simple' END)::regconfig
$$;

-- Title (A), byline and outlet (B: its name and domain, as written and as words) and the newest revision's text
-- (C) of an article.
CREATE FUNCTION annotations_article_vector(
  article_id bigint, title text, byline text, language text, outlet_id bigint
) RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector(cfg, coalesce(title, '')), 'A')
      || setweight(to_tsvector(cfg, coalesce(byline, '')), 'B')
      || setweight(to_tsvector(cfg, coalesce((
           SELECT concat_ws(' ', s.name, s.domain, regexp_replace(s.domain, '[[:punct:]]+', ' ', 'g'))
           FROM annotations_source s WHERE s.id = outlet_id
         ), '')), 'B')
      || setweight(to_tsvector(cfg, coalesce((
           SELECT r.text FROM annotations_articlerevision r WHERE r.article_id = $1 ORDER BY r.number DESC LIMIT 1
         ), '')), 'C')
  FROM (SELECT annotations_search_config(language) AS cfg) AS c
$$;

CREATE FUNCTION annotations_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Django writes back whatever vector it read; the stored one stays unless what it is made of changed, or a
  -- caller (the revision and source triggers) asks for a refresh by writing NULL.
  IF TG_OP = 'UPDATE' AND NEW.search_vector IS NOT NULL AND OLD.search_vector IS NOT NULL
     AND NEW.title IS NOT DISTINCT FROM OLD.title AND NEW.byline IS NOT DISTINCT FROM OLD.byline
     AND NEW.language IS NOT DISTINCT FROM OLD.language AND NEW.outlet_id IS NOT DISTINCT FROM OLD.outlet_id THEN
    NEW.search_vector := OLD.search_vector;
  ELSE
    NEW.search_vector := annotations_article_vector(NEW.id, NEW.title, NEW.byline, NEW.language, NEW.outlet_id);
  END IF;
  RETURN NEW;
END $$;

-- A renamed source: its articles are found by the new name (rare, an admin's edit).
CREATE FUNCTION annotations_source_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE annotations_article SET search_vector = NULL WHERE outlet_id = NEW.id;
  RETURN NULL;
END $$;

CREATE FUNCTION annotations_revision_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE annotations_article SET search_vector = NULL WHERE id = NEW.article_id;
  RETURN NULL;
END $$;

-- Statement and quote (A), claimant and verdict explanation (B), evidence quotes, notes and URLs (C). A URL is
-- indexed as written and as its words, so that "sipri" finds https://www.sipri.org/...
CREATE FUNCTION annotations_claim_search_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Two writers of one claim's evidence or verdict queue here, so that the second one reads (in the next
  -- statement's snapshot) what the first committed instead of overwriting its document with an older view.
  PERFORM 1 FROM annotations_claim WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
  INSERT INTO annotations_claimsearch (claim_id, config, vector)
  SELECT c.id, l.cfg::text,
         setweight(to_tsvector(l.cfg, c.claim_reviewed), 'A')
      || setweight(to_tsvector(l.cfg, c.exact), 'A')
      || setweight(to_tsvector(l.cfg, c.claimant), 'B')
      || setweight(to_tsvector(l.cfg, coalesce(v.explanation, '')), 'B')
      || setweight(to_tsvector(l.cfg, coalesce(e.body, '')), 'C')
  FROM annotations_claim c
  JOIN annotations_article a ON a.id = c.article_id
  CROSS JOIN LATERAL (SELECT annotations_search_config(a.language) AS cfg) l
  LEFT JOIN annotations_verdict v ON v.claim_id = c.id
  LEFT JOIN LATERAL (
    SELECT string_agg(
             concat_ws(' ', ev.quote, ev.note, ev.url, regexp_replace(ev.url, '[[:punct:]]+', ' ', 'g')), ' '
           ) AS body
    FROM annotations_evidence ev WHERE ev.claim_id = c.id
  ) e ON true
  WHERE c.id = ANY(ids)
  ON CONFLICT (claim_id) DO UPDATE SET config = EXCLUDED.config, vector = EXCLUDED.vector;
END $$;

CREATE FUNCTION annotations_claim_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM annotations_claim_search_refresh(ARRAY[NEW.id]);
  RETURN NULL;
END $$;

-- Evidence and verdicts: the claim they belong to (both claims if one moved).
CREATE FUNCTION annotations_claim_part_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM annotations_claim_search_refresh(ARRAY[NEW.claim_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM annotations_claim_search_refresh(ARRAY[OLD.claim_id]);
  ELSE
    PERFORM annotations_claim_search_refresh(ARRAY[NEW.claim_id, OLD.claim_id]);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION annotations_article_language_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM annotations_claim_search_refresh(ARRAY(SELECT id FROM annotations_claim WHERE article_id = NEW.id));
  RETURN NULL;
END $$;

ALTER TABLE annotations_claimsearch ADD CONSTRAINT annotations_claimsearch_claim_fk
  FOREIGN KEY (claim_id) REFERENCES annotations_claim (id) ON DELETE CASCADE;

CREATE TRIGGER article_search BEFORE INSERT OR UPDATE ON annotations_article
  FOR EACH ROW EXECUTE FUNCTION annotations_article_search();
CREATE TRIGGER source_search AFTER UPDATE ON annotations_source FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.domain IS DISTINCT FROM NEW.domain)
  EXECUTE FUNCTION annotations_source_search();
CREATE TRIGGER revision_search AFTER INSERT ON annotations_articlerevision
  FOR EACH ROW EXECUTE FUNCTION annotations_revision_search();
CREATE TRIGGER claim_search_insert AFTER INSERT ON annotations_claim
  FOR EACH ROW EXECUTE FUNCTION annotations_claim_search();
CREATE TRIGGER claim_search_update AFTER UPDATE ON annotations_claim FOR EACH ROW
  WHEN (OLD.claim_reviewed IS DISTINCT FROM NEW.claim_reviewed OR OLD.exact IS DISTINCT FROM NEW.exact
        OR OLD.claimant IS DISTINCT FROM NEW.claimant OR OLD.article_id IS DISTINCT FROM NEW.article_id)
  EXECUTE FUNCTION annotations_claim_search();
CREATE TRIGGER evidence_search_insert_delete AFTER INSERT OR DELETE ON annotations_evidence
  FOR EACH ROW EXECUTE FUNCTION annotations_claim_part_search();
CREATE TRIGGER evidence_search_update AFTER UPDATE ON annotations_evidence FOR EACH ROW
  WHEN (OLD.quote IS DISTINCT FROM NEW.quote OR OLD.note IS DISTINCT FROM NEW.note
        OR OLD.url IS DISTINCT FROM NEW.url OR OLD.claim_id IS DISTINCT FROM NEW.claim_id)
  EXECUTE FUNCTION annotations_claim_part_search();
CREATE TRIGGER verdict_search_insert_delete AFTER INSERT OR DELETE ON annotations_verdict
  FOR EACH ROW EXECUTE FUNCTION annotations_claim_part_search();
CREATE TRIGGER verdict_search_update AFTER UPDATE ON annotations_verdict FOR EACH ROW
  WHEN (OLD.explanation IS DISTINCT FROM NEW.explanation OR OLD.claim_id IS DISTINCT FROM NEW.claim_id)
  EXECUTE FUNCTION annotations_claim_part_search();
CREATE TRIGGER article_language_search AFTER UPDATE ON annotations_article FOR EACH ROW
  WHEN (OLD.language IS DISTINCT FROM NEW.language)
  EXECUTE FUNCTION annotations_article_language_search();

-- Existing rows: every article's vector in its language, every claim's document.
UPDATE annotations_article SET search_vector = NULL;
SELECT annotations_claim_search_refresh(ARRAY(SELECT id FROM annotations_claim));
""".replace("__CASES__", _CASES)

DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS article_language_search ON annotations_article;
DROP TRIGGER IF EXISTS verdict_search_update ON annotations_verdict;
DROP TRIGGER IF EXISTS verdict_search_insert_delete ON annotations_verdict;
DROP TRIGGER IF EXISTS evidence_search_update ON annotations_evidence;
DROP TRIGGER IF EXISTS evidence_search_insert_delete ON annotations_evidence;
DROP TRIGGER IF EXISTS claim_search_update ON annotations_claim;
DROP TRIGGER IF EXISTS claim_search_insert ON annotations_claim;
DROP TRIGGER IF EXISTS revision_search ON annotations_articlerevision;
DROP TRIGGER IF EXISTS source_search ON annotations_source;
DROP TRIGGER IF EXISTS article_search ON annotations_article;
ALTER TABLE annotations_claimsearch DROP CONSTRAINT IF EXISTS annotations_claimsearch_claim_fk;
DROP FUNCTION IF EXISTS annotations_article_language_search();
DROP FUNCTION IF EXISTS annotations_claim_part_search();
DROP FUNCTION IF EXISTS annotations_claim_search();
DROP FUNCTION IF EXISTS annotations_claim_search_refresh(bigint[]);
DROP FUNCTION IF EXISTS annotations_revision_search();
DROP FUNCTION IF EXISTS annotations_source_search();
DROP FUNCTION IF EXISTS annotations_article_search();
DROP FUNCTION IF EXISTS annotations_article_vector(bigint, text, text, text, bigint);
DROP FUNCTION IF EXISTS annotations_search_config(text);
"""

DETECT_MIN_SCORE = 0.8  # stricter than at import: this overrides a value nobody is here to confirm


def set_languages(apps, schema_editor):
    from annotations import languages

    Article = apps.get_model("annotations", "Article")
    ArticleRevision = apps.get_model("annotations", "ArticleRevision")
    for article in Article.objects.only("pk", "language").iterator(chunk_size=200):
        try:
            language = languages.normalise(article.language)
        except ValueError:
            language = "en" if article.language.strip() == "" else languages.UNDETERMINED
        if language == "en":
            text = (
                ArticleRevision.objects.filter(article_id=article.pk)
                .order_by("-number")
                .values_list("text", flat=True)
                .first()
            )
            detected = languages.detect(text or "", min_score=DETECT_MIN_SCORE)
            if detected != languages.UNDETERMINED:
                language = detected
        if language != article.language:
            Article.objects.filter(pk=article.pk).update(language=language)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0008_approval_fingerprint_and_account_activity"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="language",
            field=models.CharField(
                default="en", help_text="BCP 47 code (en, ar, pt-BR); und when it could not be told.", max_length=35
            ),
        ),
        migrations.RunPython(set_languages, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "language__regex",
                        "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$",
                    )
                ),
                name="article_language_bcp47",
            ),
        ),
        migrations.AddField(
            model_name="capture",
            name="import_language",
            field=models.CharField(
                blank=True, help_text="The language chosen for the imported article; empty: detected.", max_length=35
            ),
        ),
        migrations.CreateModel(
            name="ClaimSearch",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="annotations.claim",
                    ),
                ),
                (
                    "config",
                    models.CharField(
                        help_text="The text search configuration the vector was built with.", max_length=32
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "indexes": [django.contrib.postgres.indexes.GinIndex(fields=["vector"], name="claim_search_gin")],
            },
        ),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
    ]
