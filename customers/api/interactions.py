import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from crm_project.accounts.access import visible_to
from crm_project.core.errors import DomainError

from ..models import Contact, Customer, Interaction, InteractionKind
from ..selectors import contact_visible_to, customer_visible_to
from ..services.interactions import interaction_log
from .common import CodeRelatedField, raise_for_api


class InteractionSerializer(serializers.ModelSerializer):
    customer = CodeRelatedField(
        queryset=Customer.objects.none(), error_messages={"does_not_exist": _("Unknown customer {value}.")}
    )
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.none(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown contact {pk_value}.")},
    )
    kind = serializers.ChoiceField(choices=InteractionKind.choices)

    class Meta:
        model = Interaction
        fields = ["id", "customer", "contact", "kind", "occurred_at", "summary", "next_step", "follow_up_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # Only the caller's own customers can be named: another rep's code reads as unknown (ORG-02).
        if request is not None:
            self.fields["customer"].queryset = customer_visible_to(request.user)
            self.fields["contact"].queryset = contact_visible_to(request.user)


class InteractionFilter(django_filters.FilterSet):
    customer = django_filters.CharFilter(field_name="customer__code")
    kind = django_filters.ChoiceFilter(choices=InteractionKind.choices)

    class Meta:
        model = Interaction
        fields = ["customer", "kind"]


class InteractionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Interactions 沟通记录 (CUS-08): list and read what the caller may see; POST logs one
    through the same service as the customer page."""

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilter

    def get_queryset(self):
        return (
            visible_to(self.request.user, Interaction)
            .select_related("customer", "contact")
            .order_by("-occurred_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            interaction = interaction_log(actor=request.user, **data)
        except DomainError as error:
            raise_for_api(error)
        return Response(self.get_serializer(interaction).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("interactions", InteractionViewSet, basename="interaction")
