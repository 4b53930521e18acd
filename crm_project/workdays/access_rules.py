"""The calendar is public knowledge inside the company: every signed-in user may read it."""

from crm_project.accounts import access

from .models import CalendarDay, CalendarYear

access.register(CalendarDay, lambda user, queryset: queryset)
access.register(CalendarYear, lambda user, queryset: queryset)
