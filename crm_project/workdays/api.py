from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crm_project.core.api.fields import MonthField
from crm_project.core.months import MONTH_SCHEMA

from .calendar import working_days_in_month


class WorkdaysQuery(serializers.Serializer):
    month = MonthField()


class WorkdaysView(APIView):
    """The working days of a month (CAL-01): `?month=YYYY-MM`."""

    @extend_schema(
        parameters=[OpenApiParameter("month", MONTH_SCHEMA, required=True, description="YYYY-MM")],
        responses=inline_serializer(
            "WorkingDays",
            fields={"month": MonthField(), "working_days": serializers.ListField(child=serializers.DateField())},
        ),
    )
    def get(self, request):
        query = WorkdaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        first = query.validated_data["month"]
        days = working_days_in_month(first.year, first.month)
        return Response({"month": f"{first:%Y-%m}", "working_days": [day.isoformat() for day in days]})
