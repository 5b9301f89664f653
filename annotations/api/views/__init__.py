"""REST API views: each read goes through a queryset here or in selectors, each write through one service call.

One module per resource: articles (and revisions), claims, evidence, verdicts, sources, ratings, captures, activity,
public (the ClaimReview feed and corrections), exports (CSV and JSON); common holds what their viewsets share.
The views are re-exported here for annotations.api.urls.
"""

from .activity import ActivityViewSet
from .articles import ArticleViewSet, RevisionViewSet
from .captures import CaptureViewSet
from .claims import ClaimViewSet
from .evidence import EvidenceViewSet
from .exports import ClaimExportView, ClaimJSONExportView
from .public import ClaimReviewViewSet, CorrectionViewSet
from .ratings import RatingViewSet
from .sources import SourceViewSet
from .verdicts import VerdictViewSet

__all__ = [
    "ActivityViewSet",
    "ArticleViewSet",
    "CaptureViewSet",
    "ClaimExportView",
    "ClaimJSONExportView",
    "ClaimReviewViewSet",
    "ClaimViewSet",
    "CorrectionViewSet",
    "EvidenceViewSet",
    "RatingViewSet",
    "RevisionViewSet",
    "SourceViewSet",
    "VerdictViewSet",
]
