"""Who checks and who reviews an article or a claim, and by when."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .articles import Article
from .claims import Claim


class Assignment(models.Model):
    """One piece of work (an article or a claim, exactly one) given to a checker and a reviewer, with a due date.

    A row of its own rather than columns on Claim and Article: both kinds of work share the rules, the "My work" page
    lists them together, and changing who is assigned does not touch the claim (whose row version keys caches)."""

    article = models.OneToOneField(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="assignment")
    claim = models.OneToOneField(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="assignment")
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="checking"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewing"
    )
    due = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["checker", "due"], name="assignment_checker_due"),
            models.Index(fields=["reviewer", "due"], name="assignment_reviewer_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=True, claim__isnull=False) | Q(article__isnull=False, claim__isnull=True),
                name="assignment_one_target",
            ),
            # The two-person rule, kept by the database too: nobody reviews what they check.
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | Q(reviewer__isnull=True) | ~Q(checker=F("reviewer")),
                name="assignment_two_people",
            ),
        ]

    def __str__(self):
        target = f"claim {self.claim_id}" if self.claim_id else f"article {self.article_id}"
        return f"{target}: checker {self.checker_id}, reviewer {self.reviewer_id}"

    @property
    def target(self):
        return self.claim if self.claim_id else self.article
