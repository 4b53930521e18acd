from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from crm_project.core.db_router import reads_from_replica

from .blocks import blocks_for
from .computing import figures_by_key
from .forms import DashboardQueryForm
from .periods import PERIOD_SCHEMA


class DashboardView(APIView):
    """The dashboard's figures for a period (DSH-01), scoped to the caller (ORG-02, EXP-13):
    `period`, then one key per block the caller may see — `customers_by_grade`,
    `customers_by_status`, `churn`, `visit_completion`, `satisfaction_trend`, `complaints`,
    `tenant_requests`, `fees`, `statement_review`. A block the caller may not see is absent."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period", PERIOD_SCHEMA, description="YYYY-MM, YYYY-Qn or YYYY; default this month"),
            OpenApiParameter("department", OpenApiTypes.INT, description="management only: one department's figures"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @reads_from_replica()
    def get(self, request):
        if not blocks_for(request.user):
            raise NotFound()
        form = DashboardQueryForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError({name: [str(error) for error in errors] for name, errors in form.errors.items()})
        return Response(figures_by_key(form.scope()))
