"""/api/v1/suppliers/ (SUP-01 … SUP-07): supplier files read under the access registry — a
file the caller may not see is a 404, a caller who sees none gets an empty list (ORG-02).

- `POST` registers a candidate (procurement); a company already registered is a 400 naming
  the existing file under `existing`.
- `PATCH` fills the notes, the application and, while the file is open, the details, with an
  optional `goods_lines` list that replaces the application's goods. `PUT` is not offered (405).
- The actions `advance/`, `reject/`, `decide/`, `activate/`, `suspend/`, `reactivate/`,
  `documents/` and `contracts/` (multipart), `scores/` and `findings/` call the same services
  as the pages. Each answers 200 with the updated file (`POST` on the list: 201). A step the
  rules refuse answers 400 with what is wrong or missing, a role that may never take it 403;
  either way nothing changes.
"""

import django_filters
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from crm_project.accounts.models import Department
from crm_project.core.api.parsers import JSONParser
from crm_project.core.errors import DomainError
from customers.api.common import raise_for_api

from ..identity import normalise_credit_code
from ..models import Stage, Supplier
from ..permissions import (
    can_decide,
    can_register,
    can_reject,
    can_run_file,
    can_score,
    can_suspend,
    on_survey_team,
    survey_department_codes,
)
from ..selectors import supplier_visible_to, with_file
from ..services.documents import supplier_upload_contract, supplier_upload_document
from ..services.register import DuplicateSupplier, supplier_register, supplier_update
from ..services.stages import (
    supplier_activate,
    supplier_advance,
    supplier_decide,
    supplier_reactivate,
    supplier_reject,
    supplier_suspend,
)
from ..services.survey import supplier_score, supplier_set_goods_lines, supplier_sign_finding
from .serializers import (
    SupplierActivateSerializer,
    SupplierContractUploadSerializer,
    SupplierCreateSerializer,
    SupplierDecideSerializer,
    SupplierDocumentUploadSerializer,
    SupplierFindingInputSerializer,
    SupplierNoteSerializer,
    SupplierReasonSerializer,
    SupplierScoreInputSerializer,
    SupplierSerializer,
    SupplierUpdateSerializer,
)

UPDATED = OpenApiResponse(SupplierSerializer, description="The supplier's file after the step.")


class SupplierFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    code = django_filters.CharFilter(field_name="code")
    credit_code = django_filters.CharFilter(method="filter_credit_code")

    class Meta:
        model = Supplier
        fields = ["stage", "code", "credit_code"]

    def filter_credit_code(self, queryset, name, value):
        return queryset.filter(credit_code=normalise_credit_code(value))


def _raise(error: DomainError):
    if isinstance(error, DuplicateSupplier):
        existing = error.existing
        refusal = ValidationError({error.field or "detail": [error.message]})
        # The existing file's id stays a number (ValidationError would turn it into text).
        refusal.detail["existing"] = {"id": existing.pk, "name": existing.name, "stage": existing.stage}
        raise refusal
    raise_for_api(error)


def _require(allowed: bool, message: str) -> None:
    """A role that may never take this step: 403 before the body is even read."""
    if not allowed:
        raise ApiPermissionDenied(message)


@extend_schema_view(
    list=extend_schema(description="The supplier files the caller may see (ORG-02); empty for anyone else."),
    retrieve=extend_schema(description="A supplier's file; 404 when the caller may not see it (ORG-02)."),
)
class SupplierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Supplier files (SUP-01 … SUP-07) under ORG-02."""

    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_parsers(self):
        # The goods lines are a list of objects, which only JSON can carry.
        method = getattr(getattr(self, "request", None), "method", "") or ""
        action = getattr(self, "action", None) or getattr(self, "action_map", {}).get(method.lower())
        if action == "partial_update":
            return [JSONParser()]
        return super().get_parsers()

    def get_queryset(self):
        visible = supplier_visible_to(self.request.user)
        # A step only needs to know the file is visible; the answer reads it whole (`_respond`).
        return with_file(visible) if self.action in ("list", "retrieve") else visible

    def get_serializer_context(self):
        context = super().get_serializer_context()
        codes = survey_department_codes()
        context["department_names"] = {
            department.code: department.name for department in Department.objects.filter(code__in=codes)
        }
        return context

    def _respond(self, supplier: Supplier, code=status.HTTP_200_OK) -> Response:
        fresh = with_file(supplier_visible_to(self.request.user)).get(pk=supplier.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _body(self, serializer_class, request):
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _step(self, request, *, allowed, message: str, body_class, service):
        supplier = self.get_object()
        _require(allowed(request.user), message)
        values = self._body(body_class, request) if body_class else {}
        try:
            service(actor=request.user, supplier=supplier, **values)
        except DomainError as error:
            _raise(error)
        return self._respond(supplier)

    @extend_schema(
        request=SupplierCreateSerializer,
        responses={201: OpenApiResponse(SupplierSerializer, description="The new candidate.")},
        description="Register a candidate (procurement). The same company with an open or active file is a 400 "
        "with the existing file under `existing` ({id, name, stage}).",
    )
    def create(self, request, *args, **kwargs):
        _require(can_register(request.user), _("Only procurement registers supplier candidates."))
        values = self._body(SupplierCreateSerializer, request)
        try:
            supplier = supplier_register(actor=request.user, **values)
        except DomainError as error:
            _raise(error)
        return self._respond(supplier, status.HTTP_201_CREATED)

    @extend_schema(
        request=SupplierUpdateSerializer,
        responses=UPDATED,
        description="Fill the notes, the application (`trading_reasons`, `trading_policy`, `goods_lines`) and the "
        "details, each in the stage it belongs to; fields not given are left as they are. All or nothing. PUT is "
        "not offered (405): this is the only way to change a file.",
    )
    def partial_update(self, request, *args, **kwargs):
        supplier = self.get_object()
        _require(can_run_file(request.user), _("Only procurement keeps a supplier's file."))
        values = dict(self._body(SupplierUpdateSerializer, request))
        lines = values.pop("goods_lines", None)
        try:
            with transaction.atomic():
                supplier_update(actor=request.user, supplier=supplier, **values)
                if lines is not None:
                    supplier_set_goods_lines(
                        actor=request.user, supplier=supplier, lines=[dict(line) for line in lines]
                    )
        except DomainError as error:
            _raise(error)
        return self._respond(supplier)

    @extend_schema(
        request=SupplierNoteSerializer,
        responses=UPDATED,
        description="Move to the next stage when the current one is complete (400 with what is missing if not). "
        "From the on-site survey this submits the approval application.",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return self._step(
            request, allowed=can_run_file, message=_("Only procurement moves a supplier's file on."),
            body_class=SupplierNoteSerializer, service=supplier_advance,
        )  # fmt: skip

    @extend_schema(
        request=SupplierReasonSerializer, responses=UPDATED, description="Reject at any stage before active."
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(
            request, allowed=can_reject, message=_("Only procurement and the head of purchasing reject a candidate."),
            body_class=SupplierReasonSerializer, service=supplier_reject,
        )  # fmt: skip

    @extend_schema(
        request=SupplierDecideSerializer,
        responses=UPDATED,
        description="The head of purchasing approves or rejects the approval application (not their own).",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._step(
            request, allowed=can_decide,
            message=_("Only the head of purchasing decides on an approval application."),
            body_class=SupplierDecideSerializer, service=supplier_decide,
        )  # fmt: skip

    @extend_schema(
        request=SupplierActivateSerializer,
        responses=UPDATED,
        description="Activate a supplier whose contracts are signed: its code is assigned and the file archived.",
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        return self._step(
            request, allowed=can_run_file, message=_("Only procurement activates a supplier."),
            body_class=SupplierActivateSerializer, service=supplier_activate,
        )  # fmt: skip

    @extend_schema(request=SupplierReasonSerializer, responses=UPDATED, description="Suspend an active supplier.")
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._step(
            request, allowed=can_suspend,
            message=_("Only procurement and the head of purchasing suspend or re-activate a supplier."),
            body_class=SupplierReasonSerializer, service=supplier_suspend,
        )  # fmt: skip

    @extend_schema(request=SupplierReasonSerializer, responses=UPDATED, description="Re-activate a suspended supplier.")
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._step(
            request, allowed=can_suspend,
            message=_("Only procurement and the head of purchasing suspend or re-activate a supplier."),
            body_class=SupplierReasonSerializer, service=supplier_reactivate,
        )  # fmt: skip

    @extend_schema(
        request={"multipart/form-data": SupplierDocumentUploadSerializer},
        responses=UPDATED,
        description="Upload one of the five survey documents; a kind uploaded before gets a new version.",
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        return self._step(
            request, allowed=can_run_file, message=_("Only procurement uploads a supplier's documents."),
            body_class=SupplierDocumentUploadSerializer, service=supplier_upload_document,
        )  # fmt: skip

    @extend_schema(
        request={"multipart/form-data": SupplierContractUploadSerializer},
        responses=UPDATED,
        description="Upload the scan of the signed supply or quality-assurance contract with its signing day.",
    )
    @action(detail=True, methods=["post"])
    def contracts(self, request, pk=None):
        return self._step(
            request, allowed=can_run_file, message=_("Only procurement uploads the signed contracts."),
            body_class=SupplierContractUploadSerializer, service=supplier_upload_contract,
        )  # fmt: skip

    @extend_schema(
        request=SupplierScoreInputSerializer,
        responses=UPDATED,
        description="Score one of the six selection principles; scoring it again replaces the score.",
    )
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        return self._step(
            request, allowed=can_score, message=_("Only the survey team scores the selection principles."),
            body_class=SupplierScoreInputSerializer, service=supplier_score,
        )  # fmt: skip

    @extend_schema(
        request=SupplierFindingInputSerializer,
        responses=UPDATED,
        description="Record and sign your own department's on-site findings and score (1–5); signing again "
        "replaces them. Nobody signs for another department (403).",
    )
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        return self._step(
            request, allowed=on_survey_team, message=_("Only the staff of a department sign its own findings."),
            body_class=SupplierFindingInputSerializer, service=supplier_sign_finding,
        )  # fmt: skip


def register(router) -> None:
    router.register("suppliers", SupplierViewSet, basename="supplier")
