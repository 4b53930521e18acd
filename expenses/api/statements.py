"""/api/v1/statements/ (EXP-04 … EXP-08): a rep creates the statement for a past month
(`{"month": "YYYY-MM"}`), submits it; the clerk, the manager and finance sign or return it;
once valid, finance records the signed original filed and the sales clerk the copy.
Fee data is visible as EXP-13 says: another rep's statement is a 404."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm_project.core.errors import DomainError
from crm_project.core.months import MonthFilter
from customers.api.common import raise_for_api

from ..models import Allocation, Signature, Statement, StatementLine, StatementStatus
from ..selectors import statement_visible_to
from ..services.archive import statement_file_copy, statement_file_original
from ..services.review import statement_return, statement_sign
from ..services.statements import statement_create, statement_recalculate, statement_submit, statement_update_notes
from .serializers import CommentSerializer, NotesSerializer, StatementCreateSerializer, StatementSerializer


def with_lines(queryset):
    """Everything the statement shape shows, in a fixed number of queries."""
    lines = StatementLine.objects.select_related("customer", "product").prefetch_related(
        Prefetch("allocations", queryset=Allocation.objects.order_by("-share", "contact__created_at", "contact_id"))
    )
    return queryset.select_related("rep", "archived_original_by", "archived_copy_by").prefetch_related(
        Prefetch("lines", queryset=lines),
        Prefetch("signatures", queryset=Signature.objects.select_related("user")),
    )


class StatementFilter(django_filters.FilterSet):
    month = MonthFilter(field_name="month")
    status = django_filters.ChoiceFilter(choices=StatementStatus.choices)
    rep = django_filters.CharFilter(field_name="rep__username")

    class Meta:
        model = Statement
        fields = ["month", "status", "rep"]


class StatementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = StatementSerializer
    filterset_class = StatementFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return with_lines(statement_visible_to(self.request.user)).order_by("-month", "rep__username", "pk")

    def _answer(self, statement, code=status.HTTP_200_OK) -> Response:
        statement = with_lines(Statement.objects.all()).get(pk=statement.pk)
        return Response(StatementSerializer(statement, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=StatementCreateSerializer, responses={201: StatementSerializer})
    def create(self, request, *args, **kwargs):
        """The rep's own statement for a month that has ended, pre-filled (EXP-06)."""
        serializer = StatementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            statement = statement_create(actor=request.user, month=serializer.validated_data["month"])
        except DomainError as error:
            raise_for_api(error)
        return self._answer(statement, status.HTTP_201_CREATED)

    @extend_schema(request=NotesSerializer, responses=StatementSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Only the notes can be written; the figures come from purchases and collections."""
        statement = self.get_object()
        serializer = NotesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            statement_update_notes(actor=request.user, statement=statement, notes=serializer.validated_data["notes"])
        except DomainError as error:
            raise_for_api(error)
        return self._answer(statement)

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def recalculate(self, request, pk=None):
        statement = self.get_object()
        try:
            statement_recalculate(actor=request.user, statement=statement)
        except DomainError as error:
            raise_for_api(error)
        return self._answer(statement)

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """EXP-06: late submissions are accepted and marked late."""
        statement = self.get_object()
        try:
            statement_submit(actor=request.user, statement=statement)
        except DomainError as error:
            raise_for_api(error)
        return self._answer(statement)

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """EXP-07: the clerk, then the manager, then finance."""
        statement = self.get_object()
        try:
            statement_sign(actor=request.user, statement=statement)
        except DomainError as error:
            raise_for_api(error)
        return self._answer(statement)

    @extend_schema(request=CommentSerializer, responses=StatementSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """EXP-07: back to the rep with a comment; the signatures start again."""
        statement = self.get_object()
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            statement_return(actor=request.user, statement=statement, comment=serializer.validated_data["comment"])
        except DomainError as error:
            raise_for_api(error)
        return self._answer(statement)

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"], url_path="file-original", url_name="file-original")
    def file_original(self, request, pk=None):
        """EXP-08: finance records that the signed original of a valid statement is filed."""
        return self._file(statement_file_original)

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"], url_path="file-copy", url_name="file-copy")
    def file_copy(self, request, pk=None):
        """EXP-08: the sales clerk of the rep's department records that sales filed a copy."""
        return self._file(statement_file_copy)

    def _file(self, service) -> Response:
        statement = self.get_object()
        try:
            service(actor=self.request.user, statement=statement)
        except DomainError as error:
            raise_for_api(error)
        return self._answer(statement)


def register(router) -> None:
    router.register("statements", StatementViewSet, basename="statement")
