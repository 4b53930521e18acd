from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarYear(models.Model):
    """A year whose days are in the table. Years without a row fall back to Monday–Friday
    and administrators are warned (CAL-01)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    confirmed = models.BooleanField(
        _("holidays confirmed"),
        default=False,
        help_text=_("Tick once this year's official holidays and make-up days are entered."),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar year 日历年度")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("working day")
    WEEKEND = "weekend", _("weekend")
    HOLIDAY = "holiday", _("statutory holiday")
    MAKEUP = "makeup", _("make-up working day 调休")


class CalendarDay(models.Model):
    """One day of a covered year (CAL-01). Editable by administrators."""

    date = models.DateField(_("date"), primary_key=True)
    year = models.ForeignKey(CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days")
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day 日历")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[choice.value for choice in DayKind]), name="calendarday_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.year_id = self.date.year  # the year is the date's; the admin cannot get it wrong
        super().save(*args, **kwargs)

    @property
    def is_working_day(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP)
