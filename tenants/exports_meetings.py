"""Tenant meetings (TEN-05) and the fee schedule (TEN-10) as Excel: the filtered rows of the screen."""

from django.utils.translation import gettext_lazy

from crm_project.core.exports import Column, Export


class MeetingExport(Export):
    name = "tenant-meetings"
    columns = [
        Column(gettext_lazy("held on"), "held_on", 12),
        Column(gettext_lazy("kind"), "get_kind_display", 16),
        Column(gettext_lazy("title"), "title", 30),
        Column(gettext_lazy("attendees"), "attendee_count", 10),
        Column(gettext_lazy("suggestions"), "suggestion_count", 10),
        Column(gettext_lazy("organised by"), lambda m: m.organised_by.display_name if m.organised_by_id else "", 14),
        Column(gettext_lazy("minutes"), "minutes", 60),
    ]


class FeeExport(Export):
    name = "fee-schedule"
    columns = [
        Column(gettext_lazy("kind"), "get_kind_display", 18),
        Column(gettext_lazy("name in Chinese"), "name_zh", 24),
        Column(gettext_lazy("name in English"), "name", 24),
        Column(gettext_lazy("unit"), "unit", 14),
        Column(gettext_lazy("amount (CNY)"), "amount", 12),
        Column(gettext_lazy("valid from"), "valid_from", 12),
        Column(gettext_lazy("valid until"), "valid_to", 12),
        Column(gettext_lazy("notes"), "notes", 30),
    ]
