"""The satisfaction trend on the dashboard (DSH-01, SUR-03): the average score of the last
survey rounds up to the end of the period, per audience the user may see — customer surveys
for customer service and the sales managers and directors, tenant surveys for operations,
both for management (access_rules.py). Imported from SurveysConfig.ready().

A round's average is the one its results page shows as a group's average (selectors.Group):
every score answer of the round's responses counted once, two decimals. Four queries whatever
the number of rounds and responses: the rounds (a window per audience), their recipients,
their score sums, and the responses of the period and the one before.
"""

from django.conf import settings
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.access import department_members, sees_everything
from crm_project.dashboard.blocks import Chart, DashboardBlock, Number, Presentation, Scope, Series, Table, blocks
from tenants.access_rules import sees_whole_desk

from .access_rules import SURVEY_ROLES
from .models import Recipient, SurveyAudience, SurveyResponse, SurveyRound
from .selectors import _mean, _rate

ROUNDS_SHOWN = 8  # the last rounds that started before the period's end, per audience

ROUND_COLUMNS = [
    _("Round"), _("Survey"), _("Started"), _("Recipients"), _("Responses"), _("Response rate %"), _("Average score"),
]  # fmt: skip
ROUND_FIELDS = ["name", "survey", "started", "recipients", "responses", "rate", "average"]
AUDIENCE_LABELS = {
    SurveyAudience.CUSTOMERS: _("Customers"),
    SurveyAudience.TENANTS: _("Tenants"),
}
ROUND_BEFORE = _("the round before")


def audiences_for(user) -> list[str]:
    """The audiences whose surveys the user sees, as the access rules decide (access_rules.py)."""
    audiences = []
    if sees_everything(user) or user.has_role(*SURVEY_ROLES):
        audiences.append(SurveyAudience.CUSTOMERS)
    if sees_whole_desk(user):
        audiences.append(SurveyAudience.TENANTS)
    return audiences


def _sees_block(user) -> bool:
    return bool(audiences_for(user))


def _audiences(scope: Scope) -> list[str]:
    audiences = audiences_for(scope.user)
    if scope.department is not None and scope.department.code != settings.TENANT_DESK_DEPARTMENT:
        # The tenants' surveys are the tenant desk's (TEN-01): under another department, none.
        audiences = [audience for audience in audiences if audience != SurveyAudience.TENANTS]
    return audiences


def _in_department(scope: Scope, queryset, recipient: str = ""):
    """Management's department filter: the customers its people own; the tenants' answers
    only under the tenant desk's department (then whole)."""
    if scope.department is None:
        return queryset
    condition = Q(**{f"{recipient}customer__owner__in": department_members(scope.department.pk)})
    if scope.department.code == settings.TENANT_DESK_DEPARTMENT:
        condition |= Q(**{f"{recipient}tenant__isnull": False})
    return queryset.filter(condition)


def _float(value) -> float | None:
    return float(value) if value is not None else None


def satisfaction_figures(scope: Scope) -> dict:
    period, previous = scope.period, scope.period.previous()
    audiences = _audiences(scope)
    figures: dict = {"rounds_shown": ROUNDS_SHOWN}
    if not audiences:
        return figures
    rounds = list(
        scope.visible(SurveyRound)
        .filter(started_at__lt=period.end_at, survey__audience__in=audiences)
        .annotate(
            audience=F("survey__audience"),
            place=Window(
                RowNumber(), partition_by=F("survey__audience"), order_by=[F("started_at").desc(), F("pk").desc()]
            ),
        )
        .filter(place__lte=ROUNDS_SHOWN)
        .values("pk", "name", "started_at", "audience", "survey__title")
    )
    ids = [row["pk"] for row in rounds]
    counts = {
        row["round_id"]: row
        for row in _in_department(scope, scope.visible(Recipient).filter(round_id__in=ids))
        .values("round_id")
        .annotate(recipients=Count("pk"), responses=Count("responded_at"))
        .order_by()
    }
    responded = scope.visible(SurveyResponse).filter(recipient__round_id__in=ids)
    scores = {
        row["recipient__round_id"]: row
        for row in _in_department(scope, responded, "recipient__")
        .values("recipient__round_id")
        .annotate(total=Sum("answers__score"), count=Count("answers__score"))
        .order_by()
    }
    # A response's moment is its recipient's `responded_at` (services/answers.py sets both).
    responses = {
        row["round__survey__audience"]: row
        for row in _in_department(
            scope,
            scope.visible(Recipient).filter(
                responded_at__gte=previous.start_at,
                responded_at__lt=period.end_at,
                round__survey__audience__in=audiences,
            ),
        )
        .values("round__survey__audience")
        .annotate(
            current=Count("pk", filter=Q(responded_at__gte=period.start_at)),
            before=Count("pk", filter=Q(responded_at__lt=period.start_at)),
        )
        .order_by()
    }
    for audience in audiences:
        shown = []
        for row in sorted((r for r in rounds if r["audience"] == audience), key=lambda r: (r["started_at"], r["pk"])):
            count, score = counts.get(row["pk"], {}), scores.get(row["pk"], {})
            recipients, answered = count.get("recipients", 0), count.get("responses", 0)
            shown.append(
                {
                    "id": row["pk"],
                    "name": row["name"],
                    "survey": row["survey__title"],
                    "started": timezone.localtime(row["started_at"]).date().isoformat(),
                    "recipients": recipients,
                    "responses": answered,
                    "rate": _float(_rate(answered, recipients)),
                    "average": _float(_mean(score.get("total") or 0, score.get("count") or 0)),
                }
            )
        latest = shown[-1] if shown else {}
        before = shown[-2] if len(shown) > 1 else {}
        in_period = responses.get(audience, {})
        figures[audience] = {
            "rounds": shown,
            "latest_average": latest.get("average"),
            "before_average": before.get("average"),
            "latest_rate": latest.get("rate"),
            "before_rate": before.get("rate"),
            "responses": in_period.get("current", 0),
            "previous": {"responses": in_period.get("before", 0)},
        }
    return figures


def _round_url(round_id) -> str:
    return reverse("surveys:round_detail", args=[round_id])


def satisfaction_present(figures: dict, scope: Scope) -> Presentation:
    presentation = Presentation(list_url=reverse("surveys:survey_list"))
    summary = []
    for audience, label in AUDIENCE_LABELS.items():
        data = figures.get(audience)
        if data is None:
            continue
        rounds = data["rounds"]
        latest_url = _round_url(rounds[-1]["id"]) if rounds else ""
        numbers = [
            Number(
                _("%(audience)s: average score, latest round") % {"audience": label},
                data["latest_average"],
                previous=data["before_average"],
                url=latest_url,
                key=f"{audience}-average",
                compared_with=ROUND_BEFORE,
            ),
            Number(
                _("%(audience)s: responses in the period") % {"audience": label},
                data["responses"],
                previous=data["previous"]["responses"],
                url=presentation.list_url,
                key=f"{audience}-responses",
            ),
            Number(
                _("%(audience)s: response rate, latest round") % {"audience": label},
                data["latest_rate"],
                previous=data["before_rate"],
                url=latest_url,
                unit="%",
                key=f"{audience}-rate",
                compared_with=ROUND_BEFORE,
            ),
        ]
        presentation.numbers += numbers
        summary += [[number.label, number.value, number.previous] for number in numbers]
        presentation.charts.append(
            Chart(
                key=f"satisfaction-{audience}",
                title=_("%(audience)s: average score by survey round (1–5)") % {"audience": label},
                kind="line",
                categories=[f"{row['name']} ({row['started'][:7]})" for row in rounds],
                series=[Series(_("Average score"), [row["average"] for row in rounds])],
                links=[_round_url(row["id"]) for row in rounds],
            )
        )
        presentation.tables.append(
            Table(
                title=str(label),
                headers=[str(header) for header in ROUND_COLUMNS],
                rows=[[row[name] for name in ROUND_FIELDS] for row in rounds],
            )
        )
    presentation.tables.insert(
        0,
        Table(
            title=str(_("Figures")),
            headers=[str(_("Figure")), str(_("Value")), str(_("Compared with"))],
            rows=summary,
        ),
    )
    presentation.note = _(
        "The last %(count)s rounds of each survey audience started before the end of the period; a round's "
        "figures compare with the round before it, the responses with the previous period."
    ) % {"count": figures["rounds_shown"]}
    return presentation


blocks.add(
    DashboardBlock(
        key="satisfaction_trend",
        title=_("Satisfaction trend"),
        figures=satisfaction_figures,
        present=satisfaction_present,
        visible=_sees_block,
        order=20,
    )
)
