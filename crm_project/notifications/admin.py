from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import EmailState, Notification
from .outbox import emails_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The e-mail outbox, for operators: what is waiting, what failed and why (JOB-10)."""

    list_display = ["created_at", "recipient", "title", "email_state", "email_attempts", "emailed_at"]
    list_filter = ["email_state", "kind"]
    search_fields = ["key", "title", "recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the failed e-mails again"), permissions=["view"])
    def send_again(self, request, queryset):
        failed = queryset.filter(email_state=EmailState.FAILED).values_list("pk", flat=True)
        count = emails_retry(notification_ids=list(failed))
        message = ngettext("%(count)s e-mail is queued again.", "%(count)s e-mails are queued again.", count)
        messages.success(request, message % {"count": count})
