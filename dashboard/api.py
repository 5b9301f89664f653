"""`GET /api/dashboard/?weeks=N`: the dashboard's numbers as JSON (reviewers and admins), the page's metrics as they
are (dashboard/metrics.py): hours unrounded, alpha unrounded, weeks by their Monday."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.base import APIDefaults

from . import metrics, rules, upkeep
from .period import WEEKS_DEFAULT, WEEKS_ERROR, WEEKS_MAX, WEEKS_MIN, Period


class DashboardQuery(serializers.Serializer):
    weeks = serializers.IntegerField(
        min_value=WEEKS_MIN,
        max_value=WEEKS_MAX,
        default=WEEKS_DEFAULT,
        error_messages={"invalid": WEEKS_ERROR, "min_value": WEEKS_ERROR, "max_value": WEEKS_ERROR},
    )


class CanSeeDashboard(permissions.BasePermission):
    message = rules.SEE_DASHBOARD.refusal

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(rules.SEE_DASHBOARD.perm))


def _counts(**kwargs):
    return serializers.DictField(child=serializers.IntegerField(), **kwargs)


class PeriodSerializer(serializers.Serializer):
    weeks = serializers.IntegerField()
    first_week = serializers.DateField(help_text="The Monday the range starts on (ISO weeks, the desk's time zone).")
    today = serializers.DateField()


class WeekThroughputSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The week's Monday.")
    opened = serializers.IntegerField()
    published = serializers.IntegerField(help_text="Fact-checks first published this week.")
    median_hours = serializers.FloatField(allow_null=True)
    p90_hours = serializers.FloatField(allow_null=True)


class ThroughputSerializer(serializers.Serializer):
    weeks = WeekThroughputSerializer(many=True)
    opened = serializers.IntegerField()
    published = serializers.IntegerField()
    median_hours = serializers.FloatField(
        allow_null=True, help_text="Hours from claim to first publication: percentile_cont(0.5)."
    )
    p90_hours = serializers.FloatField(allow_null=True, help_text="percentile_cont(0.9) of the same hours.")


class OutletRatingsSerializer(serializers.Serializer):
    outlet = serializers.CharField(source="key")
    counts = _counts(help_text="Fact-checks by rating label.")
    total = serializers.IntegerField()


class WeekRatingsSerializer(serializers.Serializer):
    week = serializers.DateField(source="key")
    counts = _counts()
    total = serializers.IntegerField()


class RatingsSerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField(), help_text="In the scale's order.")
    by_outlet = OutletRatingsSerializer(many=True)
    by_week = WeekRatingsSerializer(many=True)


class AlphaSerializer(serializers.Serializer):
    alpha = serializers.FloatField(
        allow_null=True, help_text="Krippendorff's alpha; null when there is not enough data."
    )
    units = serializers.IntegerField(help_text="Pairs of ratings on the numeric scale.")
    note = serializers.CharField(allow_blank=True)


class MonthAlphaSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The month's first day.")
    result = AlphaSerializer()


class PairAlphaSerializer(serializers.Serializer):
    checkers = serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2)
    result = AlphaSerializer()


class AgreementSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="Level of measurement: ordinal.")
    overall = AlphaSerializer()
    left_out = serializers.IntegerField(help_text="Pairs with a rating off the numeric scale, not counted.")
    by_month = MonthAlphaSerializer(many=True)
    by_pair = PairAlphaSerializer(many=True)


class CaptureWeekSerializer(serializers.Serializer):
    week = serializers.DateField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    reasons = _counts(help_text="Failed captures by error code.")


class CheckWeekSerializer(serializers.Serializer):
    week = serializers.DateField()
    counts = _counts(help_text="Link-rot checks by result.")


class CapturesSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField())
    weeks = CaptureWeekSerializer(many=True)
    check_statuses = serializers.ListField(child=serializers.CharField())
    checks = CheckWeekSerializer(many=True)
    latest = _counts(help_text="Captured sources by the result of their latest check (the link rot now).")


class OverdueItemSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    kind = serializers.CharField(help_text="claim or article")
    title = serializers.CharField()
    language = serializers.CharField()
    url = serializers.CharField(help_text="The work in the reader (a path).")
    checker = serializers.CharField(allow_null=True)
    reviewer = serializers.CharField(allow_null=True)
    due = serializers.DateField()
    days_overdue = serializers.IntegerField()


class OverdueSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = OverdueItemSerializer(many=True, help_text=f"The {upkeep.OVERDUE_LISTED} due longest ago, oldest first.")


class DashboardSerializer(serializers.Serializer):
    period = PeriodSerializer()
    throughput = ThroughputSerializer()
    ratings = RatingsSerializer()
    agreement = AgreementSerializer()
    captures = CapturesSerializer()
    overdue = OverdueSerializer()


class DashboardView(APIDefaults, APIView):
    """The desk dashboard's numbers for the last `weeks` ISO weeks (this one included)."""

    permission_classes = [CanSeeDashboard]
    pagination_class = None

    @extend_schema(
        operation_id="dashboard_retrieve",
        tags=["dashboard"],
        parameters=[
            OpenApiParameter(
                "weeks", int, description=f"The last {WEEKS_MIN} to {WEEKS_MAX} weeks (default {WEEKS_DEFAULT})."
            )
        ],
        responses=DashboardSerializer,
    )
    def get(self, request):
        query = DashboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = metrics.dashboard(Period.last(query.validated_data["weeks"]))
        return Response(DashboardSerializer(data).data)
