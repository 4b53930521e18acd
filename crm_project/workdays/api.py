from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .calendar import working_days_in_month
from .forms import MonthField


class WorkdaysView(APIView):
    """The working days of a month (CAL-01): `?month=YYYY-MM`."""

    @extend_schema(
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, required=True, description="YYYY-MM")],
        responses=inline_serializer(
            "WorkingDays",
            fields={
                "month": serializers.CharField(),
                "working_days": serializers.ListField(child=serializers.DateField()),
            },
        ),
    )
    def get(self, request):
        try:
            first = MonthField().clean(request.query_params.get("month", ""))
        except ValidationError as error:
            return Response({"month": error.messages}, status=400)
        days = working_days_in_month(first.year, first.month)
        return Response({"month": f"{first:%Y-%m}", "working_days": [day.isoformat() for day in days]})
