"""Seed the calendar from chinese-calendar for every year it covers (CAL-01)."""

from django.db import migrations


def seed(apps, schema_editor):
    from crm_project.workdays.services import SOURCE_PACKAGE, days_of_year, package_day, package_years

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    for year in package_years():
        if CalendarYear.objects.filter(year=year).exists():
            continue
        CalendarYear.objects.create(year=year, source=SOURCE_PACKAGE, confirmed=True)
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, year_id=year, kind=kind, name=name) for day, kind, name in days_of_year(year, package_day)
        )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
