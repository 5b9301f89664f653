"""The API shapes of an assignment: read (nested in a claim) and write (POST /api/claims/{id}/assignment/)."""

from rest_framework import serializers

from ..models import Assignment
from .representation import ASSIGNMENT_FIELDS


def _username():
    return serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)


class AssignmentSerializer(serializers.ModelSerializer):
    checker = _username()
    reviewer = _username()
    assigned_by = _username()

    class Meta:
        model = Assignment
        fields = list(ASSIGNMENT_FIELDS)


class AssignmentWriteSerializer(serializers.Serializer):
    """Any of the three; a field left out is kept, null clears it. Users by username; unknown fields are refused."""

    checker = serializers.CharField(allow_null=True, required=False, help_text="Username of the checker (an editor).")
    reviewer = serializers.CharField(
        allow_null=True, required=False, help_text="Username of the reviewer (not the checker: two-person rule)."
    )
    due = serializers.DateField(allow_null=True, required=False, help_text="YYYY-MM-DD, today or later.")

    def to_internal_value(self, data):
        if isinstance(data, dict) and (unknown := sorted(set(data) - set(self.fields))):
            raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)
