import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Notification


class NotificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("unread", _("Unread")), ("read", _("Read"))],
        method="filter_status",
        empty_label=_("All"),
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")

    class Meta:
        model = Notification
        fields = ["status", "q"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "unread")

    def filter_text(self, queryset, name, value):
        # The stored text reads in the language the message was made in; the English message
        # ids let a reader who switched to English find older Chinese rows by their wording too.
        return queryset.filter(
            Q(title__icontains=value)
            | Q(body__icontains=value)
            | Q(title_message__msgid__icontains=value)
            | Q(body_message__msgid__icontains=value)
        )
