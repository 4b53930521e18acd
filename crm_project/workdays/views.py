import calendar as month_grid
from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .calendar import next_month, working_days_in_month
from .forms import MonthForm
from .models import CalendarDay, CalendarYear, DayKind

# The policy's fixed working-day deadlines, shown on the calendar so everyone plans by them.
DEADLINE_WORKING_DAYS = {
    3: _("Monthly statements due (EXP-06)"),
    8: _("Three-signature review due (EXP-07)"),
    9: _("Advances open (EXP-10)"),
}


def month_view(request):
    """The month's working days, holidays, make-up days and the fee-cycle deadlines."""
    form = MonthForm(request.GET)
    first = form.month_or_current()
    working = working_days_in_month(first.year, first.month)
    numbered = {day: index + 1 for index, day in enumerate(working)}
    covered = CalendarYear.objects.filter(year=first.year).exists()
    named = {day.date: day for day in CalendarDay.objects.filter(date__year=first.year, date__month=first.month)}
    weeks = []
    for week in month_grid.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "working_number": numbered.get(day),
                    "kind": named[day].kind if day in named else None,
                    "name": named[day].name if day in named else "",
                    "is_makeup": day in named and named[day].kind == DayKind.MAKEUP,
                    "is_holiday": day in named and named[day].kind == DayKind.HOLIDAY,
                }
                for day in week
            ]
        )
    previous = date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)
    following = date(*next_month(first.year, first.month), 1)
    return render(
        request,
        "workdays/month.html",
        {
            "form": form,
            "first": first,
            "weeks": weeks,
            "working_count": len(working),
            "covered": covered,
            "deadlines": [
                (n, working[n - 1], label) for n, label in DEADLINE_WORKING_DAYS.items() if n <= len(working)
            ],
            "previous": previous,
            "following": following,
        },
    )
