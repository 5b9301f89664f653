"""The fact-checking domain: sources, articles and their revisions, claims, evidence, captures, verdicts,
second reviews, assignments, notifications, activity.

Models hold fields, constraints and small predicates only; every write goes through annotations.services.
A module per part of the domain; every model (and the constants beside them) is imported here, so that
`from annotations.models import Claim` and `apps.get_model("annotations", "Claim")` reach them all.
"""

from .activity import Activity, RoleChange
from .articles import LANGUAGE_TAG_REGEX, Article, ArticleRevision
from .assignments import Assignment
from .captures import Capture, CaptureCheck
from .claims import CLAIM_REVIEWED_MAX, CONTEXT_WIDTH, Claim, ClaimSearch, ReviewStatus
from .evidence import Evidence
from .notifications import Notification, NotificationPreference
from .second_reviews import DeskSettings, SecondReview
from .sources import Source
from .verdicts import Correction, Rating, RatingScale, Verdict, verdict_of

__all__ = [
    "CLAIM_REVIEWED_MAX",
    "CONTEXT_WIDTH",
    "LANGUAGE_TAG_REGEX",
    "Activity",
    "Article",
    "ArticleRevision",
    "Assignment",
    "Capture",
    "CaptureCheck",
    "Claim",
    "ClaimSearch",
    "Correction",
    "DeskSettings",
    "Evidence",
    "Notification",
    "NotificationPreference",
    "Rating",
    "RatingScale",
    "ReviewStatus",
    "RoleChange",
    "SecondReview",
    "Source",
    "Verdict",
    "verdict_of",
]
