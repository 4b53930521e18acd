"""The surveys leave the complaints app for crm_project/surveys (issue 12): their models leave
complaints' state only. The tables stay; surveys' own migrations took them over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_complaint_tenant"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="answer",
                    name="question",
                ),
                migrations.RemoveField(
                    model_name="answer",
                    name="response",
                ),
                migrations.RemoveField(
                    model_name="surveyfollowup",
                    name="answer",
                ),
                migrations.RemoveField(
                    model_name="historicalsurvey",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalsurveysettings",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="question",
                    name="survey",
                ),
                migrations.RemoveField(
                    model_name="recipient",
                    name="contact",
                ),
                migrations.RemoveField(
                    model_name="recipient",
                    name="customer",
                ),
                migrations.RemoveField(
                    model_name="recipient",
                    name="round",
                ),
                migrations.RemoveField(
                    model_name="surveyresponse",
                    name="recipient",
                ),
                migrations.RemoveField(
                    model_name="surveyround",
                    name="survey",
                ),
                migrations.RemoveField(
                    model_name="surveyfollowup",
                    name="customer",
                ),
                migrations.RemoveField(
                    model_name="surveyfollowup",
                    name="owner",
                ),
                migrations.RemoveField(
                    model_name="surveyround",
                    name="started_by",
                ),
                migrations.DeleteModel(
                    name="SurveySettings",
                ),
                migrations.DeleteModel(
                    name="Answer",
                ),
                migrations.DeleteModel(
                    name="HistoricalSurvey",
                ),
                migrations.DeleteModel(
                    name="HistoricalSurveySettings",
                ),
                migrations.DeleteModel(
                    name="Question",
                ),
                migrations.DeleteModel(
                    name="Recipient",
                ),
                migrations.DeleteModel(
                    name="SurveyResponse",
                ),
                migrations.DeleteModel(
                    name="Survey",
                ),
                migrations.DeleteModel(
                    name="SurveyFollowUp",
                ),
                migrations.DeleteModel(
                    name="SurveyRound",
                ),
            ],
        ),
    ]
