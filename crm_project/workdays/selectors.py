from django.utils import timezone

from .models import CalendarYear

# Holiday notices for the next year come out in November or December.
NEXT_YEAR_WATCH_FROM_MONTH = 10


def years_to_watch(today=None) -> list[int]:
    today = today or timezone.localdate()
    years = [today.year]
    if today.month >= NEXT_YEAR_WATCH_FROM_MONTH:
        years.append(today.year + 1)
    return years


def unconfirmed_years(today=None) -> list[int]:
    """Years that matter now and whose holidays are not confirmed: their deadlines fall back
    to Monday–Friday or a template (CAL-01)."""
    watched = years_to_watch(today)
    confirmed = set(CalendarYear.objects.filter(year__in=watched, confirmed=True).values_list("year", flat=True))
    return [year for year in watched if year not in confirmed]
