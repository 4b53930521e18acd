"""The surveys' entry in the navigation bar; imported from SurveysConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from crm_project.core.navigation import NavItem, nav

from .services.rounds import can_see_follow_ups, can_view_surveys


def _follow_ups_only(user) -> bool:
    # Whoever sees the survey pages reaches the follow-ups from there.
    return can_see_follow_ups(user) and not can_view_surveys(user)


nav.add(
    NavItem(
        key="surveys",
        label=_("Surveys"),
        url_name="surveys:survey_list",
        icon="clipboard-check",
        order=60,
        visible=can_view_surveys,
    )
)
nav.add(
    NavItem(
        key="survey-follow-ups",
        label=_("Survey follow-ups"),
        url_name="surveys:follow_up_list",
        icon="emoji-frown",
        order=61,
        visible=_follow_ups_only,
    )
)
