"""Our claims against the corpus: the link an editor makes ("same claim as") and the best match a worker finds.

Both point at annotations.Claim by a one-to-one whose reverse name (`claim.same_as`, `claim.best_match`) the desk's
templates, its claim documents and its ClaimReview read without importing this app (annotations.corpus_links names
them). Re-exported by matching.models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

# The score (search.similar: cosine plus a share of the words in common) from which a claim's best match among our
# own published fact-checks counts as the same claim, checked already. Measured by bench/repeat_threshold.py on
# CheckThat! 2020 (870 tweets against 10,048 verified claims, half of them without theirs): right best matches score
# 0.78 / 0.87 / 0.95 at their quartiles, wrong ones 0.62 / 0.69 / 0.78, and the wrong ones above 0.8 are mostly the
# same claim checked twice by Snopes. From 0.8: 78% of the best matches flagged are right at least, and 70% of the
# right ones (tweets; a desk's short statements match their fact-check more closely) are flagged.
REPEAT_THRESHOLD = 0.8
# The least score of a match listed in the reader: every right best match of the benchmark scored above it (5% of
# them below 0.65); below it, the corpus's nearest are about something else.
SHOWN_THRESHOLD = 0.5


class SameClaim(models.Model):
    """An editor's word that a claim of ours is the same claim as a fact-check of the corpus (one per claim)."""

    claim = models.OneToOneField("annotations.Claim", on_delete=models.CASCADE, related_name="same_as")
    # A fact-check that leaves the corpus (one of ours unpublished, a row an admin deleted) takes the link with it.
    fact_check = models.ForeignKey("matching.FactCheck", on_delete=models.CASCADE, related_name="same_claims")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField()
    # The claim's words as they appeared (its quote) stand for the fact-check in matching beside its own statement
    # and headline: a desk's links teach the search the wordings a claim circulates in (matching.search). Filled by
    # matching.embedding like the fact-checks' vectors; `wording` is the text the vector was made of, so a quote
    # edited since is embedded again.
    wording = models.TextField(blank=True, editable=False)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = "same claim link"

    def __str__(self):
        return f"claim {self.claim_id} is the same claim as fact-check {self.fact_check_id}"


class ClaimMatch(models.Model):
    """The best match of a claim among our own published fact-checks of other claims, as a worker last found it
    (matching.services.claim_matches): the reader reads it instead of running the encoder at page load."""

    claim = models.OneToOneField(
        "annotations.Claim", primary_key=True, on_delete=models.CASCADE, related_name="best_match"
    )
    # NULL: nothing of ours to match. A fact-check leaving the corpus takes the row along: the sweep looks again.
    fact_check = models.ForeignKey(
        "matching.FactCheck", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    # What was matched (the short statement, else the quote) and by which model: another text is looked up again.
    text = models.TextField()
    model = models.CharField(max_length=200)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "claim's best match"
        verbose_name_plural = "claims' best matches"
        constraints = [
            models.CheckConstraint(
                condition=Q(fact_check__isnull=True, score__isnull=True)
                | Q(fact_check__isnull=False, score__isnull=False),
                name="claimmatch_score_with_match",
            )
        ]

    def __str__(self):
        return f"best match of claim {self.claim_id}: {self.fact_check_id} ({self.score})"

    @property
    def is_repeat(self) -> bool:
        """Whether the claim repeats the fact-check it matched: shown as "Already checked" in the reader."""
        return self.fact_check_id is not None and self.score is not None and self.score >= REPEAT_THRESHOLD
