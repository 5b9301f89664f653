from django.urls import path, re_path

from .views import anchoring, articles, captures, public, reader, review, sources

urlpatterns = [
    path("", articles.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path("fact-checks/", public.published_factchecks, name="published_factchecks"),
    path("fact-checks/<int:claim_id>/", public.public_factcheck, name="public_factcheck"),
    path("articles/", articles.article_list, name="article_list"),
    path("articles/import/", articles.article_import, name="article_import"),
    path("articles/<int:pk>/", reader.reader, name="reader"),
    path("articles/<int:pk>/claims/", reader.claim_create, name="claim_create"),
    path("articles/<int:pk>/anchoring/", anchoring.article_anchoring, name="article_anchoring"),
    path("claims/<int:claim_id>/edit/", reader.claim_edit, name="claim_edit"),
    path("claims/<int:claim_id>/evidence/", reader.evidence_add, name="evidence_add"),
    path("claims/<int:claim_id>/verdict/", reader.verdict_save, name="verdict_save"),
    re_path(
        r"^verdicts/(?P<verdict_id>[0-9]+)/(?P<action>submit|approve|request-changes|publish)/$",
        reader.verdict_transition,
        name="verdict_transition",
    ),
    path("review/", review.review_queue, name="review_queue"),
    path("my-verdicts/", review.my_verdicts, name="my_verdicts"),
    path("sources/", sources.source_list, name="source_list"),
    path("sources/new/", sources.source_edit, name="source_add"),
    path("sources/<int:pk>/", sources.source_edit, name="source_edit"),
    path("captures/<int:pk>/", captures.capture_detail, name="capture_detail"),
    path("captures/<int:pk>/snapshot", captures.capture_snapshot, name="capture_snapshot"),
    path("captures/<int:pk>/retry", captures.capture_retry, name="capture_retry"),
]
