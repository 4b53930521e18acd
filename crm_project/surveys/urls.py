"""The survey pages, mounted at /surveys/ (namespace "surveys"): staff pages and the public
answer page of the personal links (SUR-01 … SUR-03)."""

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.SurveyListView.as_view(), name="survey_list"),
    path("new/", views.survey_create_view, name="survey_create"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/rounds/new/", views.round_start_view, name="round_start"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/results.xlsx", views.round_export, name="round_export"),
    path("rounds/<int:pk>/close/", views.round_close_view, name="round_close"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_up_list"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done_view, name="follow_up_done"),
    path("answer/<str:token>/", views.answer_view, name="answer"),
    path("answer/<str:token>/thanks/", views.answer_thanks_view, name="answer_thanks"),
]
