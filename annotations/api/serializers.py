"""Serializers: read shapes of the models, and write shapes that only check types and sizes.

Every rule about what is allowed lives in annotations.services; write serializers hand their data to a service.
"""

from rest_framework import serializers

from ..claimreview import public_url
from ..limits import MAX_ARTICLE_TEXT, MAX_CLAIM_LENGTH, MAX_COMMENT, MAX_EXPLANATION, MAX_NOTE, MAX_QUOTE, max_length
from ..models import (
    CLAIM_REVIEWED_MAX,
    CONTEXT_WIDTH,
    Activity,
    Article,
    ArticleRevision,
    Capture,
    CaptureCheck,
    Claim,
    Correction,
    Evidence,
    Rating,
    Source,
    Verdict,
)
from ..webannotation import annotation_url
from .assignment_serializers import AssignmentSerializer
from .representation import CLAIM_FIELDS, EVIDENCE_FIELDS, VERDICT_FIELDS

MAX_INT = 2_147_483_647  # PostgreSQL integer


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so that a typo is a 400 rather than silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)


class Username(serializers.SlugRelatedField):
    """A user shown by username (pass allow_null=True where the user may be gone or the system acted)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", read_only=True, **kwargs)


# --- Sources, ratings ------------------------------------------------------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "domain", "kind", "reliability", "notes", "blocked", "created_at", "updated_at"]
        read_only_fields = fields


class SourceWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=max_length(Source, "name"))
    domain = serializers.CharField(
        max_length=max_length(Source, "domain"), help_text="A domain (sipri.org) or a URL; stored lower-case."
    )
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    reliability = serializers.ChoiceField(choices=Source.Reliability.choices, required=False)
    notes = serializers.CharField(max_length=MAX_NOTE, allow_blank=True, required=False)
    blocked = serializers.BooleanField(required=False)


class RatingSerializer(serializers.ModelSerializer):
    scale = serializers.StringRelatedField()

    class Meta:
        model = Rating
        fields = ["id", "scale", "label", "value", "position", "description"]


# --- Articles and revisions ------------------------------------------------------------------------------------------


class RevisionSerializer(serializers.ModelSerializer):
    created_by = Username(allow_null=True)

    class Meta:
        model = ArticleRevision
        fields = ["id", "article", "number", "sha256", "origin", "created_by", "created_at"]


class RevisionDetailSerializer(RevisionSerializer):
    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "text"]


class RevisionWriteSerializer(StrictSerializer):
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    text = serializers.CharField(max_length=MAX_ARTICLE_TEXT, trim_whitespace=False)
    origin = serializers.ChoiceField(choices=ArticleRevision.Origin.choices, default=ArticleRevision.Origin.PASTED)


class ArticleSerializer(serializers.ModelSerializer):
    created_by = Username(allow_null=True)
    current_revision = serializers.IntegerField(
        source="current_revision_id", read_only=True, allow_null=True, help_text="Id of the newest revision."
    )
    revision_count = serializers.IntegerField(read_only=True)
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "outlet",
            "byline",
            "published_date",
            "language",
            "created_by",
            "created_at",
            "updated_at",
            "current_revision",
            "revision_count",
            "claim_count",
        ]


class ArticleWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=max_length(Article, "title"))
    text = serializers.CharField(
        max_length=MAX_ARTICLE_TEXT, trim_whitespace=False, help_text="The text, kept exactly."
    )
    url = serializers.URLField(max_length=max_length(Article, "url"), required=False, allow_null=True)
    published_date = serializers.DateField(required=False, allow_null=True)
    byline = serializers.CharField(max_length=max_length(Article, "byline"), required=False, allow_blank=True)
    language = serializers.CharField(
        max_length=max_length(Article, "language"),
        required=False,
        allow_blank=True,
        help_text="BCP 47 code (en, ar, pt-BR); detected from the title and text when not given.",
    )
    origin = serializers.ChoiceField(choices=ArticleRevision.Origin.choices, default=ArticleRevision.Origin.PASTED)


# --- Claims, evidence, verdicts --------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    author = Username()

    class Meta:
        model = Evidence
        fields = list(EVIDENCE_FIELDS)


class EvidenceUpdateSerializer(StrictSerializer):
    """Any of the four; the others are kept. A new URL or quote is checked again."""

    url = serializers.CharField(max_length=max_length(Evidence, "url"), required=False, help_text="An http(s) URL.")
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices, required=False)
    quote = serializers.CharField(max_length=MAX_QUOTE, required=False, allow_blank=True)
    note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True)


class EvidenceWriteSerializer(EvidenceUpdateSerializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    url = serializers.CharField(max_length=max_length(Evidence, "url"), help_text="An http(s) URL.")
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices)


class VerdictSerializer(serializers.ModelSerializer):
    author = Username()
    reviewer = Username(allow_null=True)
    rating_label = serializers.CharField(source="rating.label", read_only=True)

    class Meta:
        model = Verdict
        fields = list(VERDICT_FIELDS)


class VerdictCreateSerializer(StrictSerializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    rating = serializers.PrimaryKeyRelatedField(queryset=Rating.objects.all())
    explanation = serializers.CharField(max_length=MAX_EXPLANATION)


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The version you read; a stale one gets 409 with the current version.")
        super().__init__(min_value=1, max_value=MAX_INT, **kwargs)


class VerdictUpdateSerializer(StrictSerializer):
    rating = serializers.PrimaryKeyRelatedField(queryset=Rating.objects.all())
    explanation = serializers.CharField(max_length=MAX_EXPLANATION)
    version = VersionField()


class VerdictActionSerializer(StrictSerializer):
    version = VersionField()


def override_field():
    return serializers.CharField(
        max_length=MAX_COMMENT,
        required=False,
        allow_blank=True,
        help_text="Why to go ahead despite the checklist's blockers (recorded in the activity log); "
        "the `override` query parameter does the same.",
    )


class VerdictPublishSerializer(VerdictActionSerializer):
    override = override_field()


class VerdictReviewSerializer(StrictSerializer):
    version = VersionField()
    comment = serializers.CharField(max_length=MAX_COMMENT, required=False, allow_blank=True)
    override = override_field()


class VerdictRequestChangesSerializer(StrictSerializer):
    version = VersionField()
    comment = serializers.CharField(max_length=MAX_COMMENT, help_text="What needs to change (required).")


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. no_evidence, claim_orphaned, capture_failed, quote_differs")
    message = serializers.CharField()


class ChecklistSerializer(serializers.Serializer):
    blockers = ChecklistItemSerializer(many=True, help_text="Need an `override` reason to approve or publish.")
    warnings = ChecklistItemSerializer(many=True, help_text="Shown to the reviewer; never stop anything.")
    refusals = ChecklistItemSerializer(many=True, help_text="Must be fixed first (no override).")


class SameAsSerializer(serializers.Serializer):
    """The fact-check of the corpus an editor linked the claim to as the same claim (the `same_as` reverse relation
    of the corpus app, see corpus_links), as representation.SAME_AS_PATHS reads it."""

    fact_check = serializers.IntegerField(source="fact_check_id", help_text="The fact-check's id in the corpus.")
    url = serializers.CharField(source="fact_check.url")
    claim_reviewed = serializers.CharField(source="fact_check.claim_reviewed")
    publisher = serializers.CharField(source="fact_check.publisher_name")
    rating = serializers.CharField(source="fact_check.rating_name")
    claim = serializers.IntegerField(
        source="fact_check.claim_id", allow_null=True, help_text="Our claim's id for our own fact-checks, else null."
    )
    # Not Username: this serializer has no model for it to derive the type from.
    linked_by = serializers.CharField(source="linked_by.username", allow_null=True, help_text="Who linked it.")
    linked_at = serializers.DateTimeField()


class ClaimSerializer(serializers.ModelSerializer):
    author = Username()
    withdrawn_by = Username(allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    verdict = VerdictSerializer(read_only=True, allow_null=True)  # the one-to-one: null while the claim has none
    annotation = serializers.SerializerMethodField(help_text="The claim's W3C Web Annotation IRI.")
    assignment = AssignmentSerializer(read_only=True, allow_null=True)  # null while nobody is assigned
    same_as = SameAsSerializer(
        read_only=True, allow_null=True, help_text="The fact-check this is the same claim as (PUT /same-as/), or null."
    )

    class Meta:
        model = Claim
        # The same columns the list endpoint reads with values() (representation.py), plus the nested parts.
        fields = [*CLAIM_FIELDS, "evidence", "verdict", "annotation", "assignment", "same_as"]
        read_only_fields = fields

    def get_annotation(self, claim) -> str:
        return annotation_url(claim.pk)


class ClaimUpdateSerializer(StrictSerializer):
    claimant = serializers.CharField(max_length=max_length(Claim, "claimant"), required=False, allow_blank=True)
    claim_reviewed = serializers.CharField(max_length=CLAIM_REVIEWED_MAX, required=False, allow_blank=True)


class ClaimCreateSerializer(ClaimUpdateSerializer):
    revision = serializers.PrimaryKeyRelatedField(queryset=ArticleRevision.objects.all())
    start = serializers.IntegerField(
        min_value=0, max_value=MAX_INT, help_text="Offset into the revision text in code points (Python indices)."
    )
    end = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="End offset (exclusive), code points.")
    exact = serializers.CharField(max_length=MAX_CLAIM_LENGTH, trim_whitespace=False)
    prefix = serializers.CharField(
        max_length=2 * CONTEXT_WIDTH, required=False, allow_blank=True, trim_whitespace=False
    )
    suffix = serializers.CharField(
        max_length=2 * CONTEXT_WIDTH, required=False, allow_blank=True, trim_whitespace=False
    )


# --- Captures and activity -------------------------------------------------------------------------------------------


class CaptureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Capture
        fields = [
            "id",
            "url",
            "status",
            "final_url",
            "redirect_chain",
            "http_status",
            "content_type",
            "sniffed_type",
            "size",
            "sha256",
            "title",
            "extractor",
            "extractor_version",
            "error_code",
            "error_message",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
        ]


class CaptureCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaptureCheck
        exclude = ["id", "capture"]  # a check is read through its capture: every column of the check itself


class CaptureDetailSerializer(CaptureSerializer):
    checks = CaptureCheckSerializer(many=True, read_only=True, help_text="Link-rot re-checks, newest first.")

    class Meta(CaptureSerializer.Meta):
        fields = [*CaptureSerializer.Meta.fields, "headers", "text", "checks"]


class ActivitySerializer(serializers.ModelSerializer):
    actor = Username(allow_null=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "actor",
            "action",
            "article",
            "claim",
            "verdict",
            "from_state",
            "to_state",
            "comment",
            "created_at",
        ]


# --- Lifecycle: withdrawing, editing evidence, unpublishing, correcting ----------------------------------------------


class ClaimWithdrawSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=MAX_COMMENT, help_text="Why the claim is withdrawn (kept in history).")


class VerdictUnpublishSerializer(StrictSerializer):
    version = VersionField()
    reason = serializers.CharField(max_length=MAX_COMMENT, help_text="Shown to readers on the withdrawn page.")


class VerdictCorrectSerializer(StrictSerializer):
    version = VersionField()
    note = serializers.CharField(max_length=MAX_COMMENT, help_text="The public correction note.")
    rating = serializers.PrimaryKeyRelatedField(
        queryset=Rating.objects.all(), required=False, allow_null=True, help_text="A new rating (same scale)."
    )
    explanation = serializers.CharField(
        max_length=MAX_EXPLANATION, required=False, allow_blank=True, help_text="A new explanation; empty keeps it."
    )


class VerdictKeepSerializer(StrictSerializer):
    version = VersionField()
    comment = serializers.CharField(max_length=MAX_COMMENT, help_text="Why the fact-check still stands.")


class CorrectionSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="verdict.claim_id", read_only=True)
    previous_rating_label = serializers.CharField(source="previous_rating.label", read_only=True)
    url = serializers.SerializerMethodField(help_text="The public fact-check page that shows the note.")

    class Meta:
        model = Correction
        fields = [
            "id",
            "verdict",
            "claim",
            "note",
            "previous_rating",
            "previous_rating_label",
            "previous_explanation",
            "created_at",
            "url",
        ]

    def get_url(self, correction) -> str:
        return public_url(correction.verdict)
