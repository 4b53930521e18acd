from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NoticeKind, VisitOutcome
from .services.bulk import MESSAGE_MAX, TITLE_MAX
from .services.visits import REPORT_MAX

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VisitReportForm(forms.Form):
    done_at = forms.DateTimeField(
        label=_("Visited at"), required=False, widget=_DATETIME, help_text=_("Empty for now."),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )  # fmt: skip
    outcome = forms.ChoiceField(label=_("Outcome"), choices=VisitOutcome.choices)
    report = forms.CharField(label=_("Visit report"), max_length=REPORT_MAX, widget=forms.Textarea(attrs={"rows": 5}))


class BulkNoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    message = forms.CharField(label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    floor = forms.ChoiceField(label=_("Floor"), required=False)
    business_type = forms.ChoiceField(label=_("Business type"), required=False)

    def __init__(self, *args, floors=(), business_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("all"))]
        self.fields["floor"].choices = everyone + [(floor, floor) for floor in floors]
        self.fields["business_type"].choices = everyone + [(kind, kind) for kind in business_types]
