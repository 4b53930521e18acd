from django.contrib import admin, messages
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarDay, CalendarYear
from .selectors import unconfirmed_years
from .services import calendar_year_load


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "source", "confirmed"]
    list_editable = ["confirmed"]
    actions = ["reload_days"]

    def changelist_view(self, request, extra_context=None):
        missing = unconfirmed_years()
        if missing:
            messages.warning(
                request,
                _(
                    "Holidays are not confirmed for %(years)s: deadlines in those years fall back to "
                    "Monday–Friday. Add the year, correct its days from the official notice, then tick "
                    "“holidays confirmed”."
                )
                % {"years": ", ".join(map(str, missing))},
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            calendar_year_load(year=obj.year, replace=True)

    @admin.action(description=_("Reload the days (from chinese-calendar, or Monday–Friday)"))
    def reload_days(self, request, queryset):
        for calendar_year in queryset:
            calendar_year_load(year=calendar_year.year, replace=True)
        self.message_user(
            request,
            ngettext("%(count)d year reloaded.", "%(count)d years reloaded.", queryset.count())
            % {"count": queryset.count()},
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_editable = ["kind", "name"]
    list_filter = ["year", "kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
    fields = ["date", "year", "kind", "name"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAYS[obj.date.weekday()])
