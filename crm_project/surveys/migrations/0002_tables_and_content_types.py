"""The survey tables take this app's names, and the surveys' content types move from complaints
to surveys in place (same ids), so the groups' permissions, the admin log and the audit history
that point at them keep pointing at the right models."""

from django.db import migrations

MODELS = [
    "survey", "question", "surveyround", "recipient", "surveyresponse", "answer", "surveyfollowup",
    "surveysettings", "historicalsurvey", "historicalsurveysettings",
]  # fmt: skip


def _move_content_types(source: str, target: str):
    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType")
        taken = content_types.objects.filter(app_label=target, model__in=MODELS).values_list("model", flat=True)
        content_types.objects.filter(app_label=source, model__in=set(MODELS) - set(taken)).update(app_label=target)

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(
            name="answer",
            table=None,
        ),
        migrations.AlterModelTable(
            name="historicalsurvey",
            table=None,
        ),
        migrations.AlterModelTable(
            name="historicalsurveysettings",
            table=None,
        ),
        migrations.AlterModelTable(
            name="question",
            table=None,
        ),
        migrations.AlterModelTable(
            name="recipient",
            table=None,
        ),
        migrations.AlterModelTable(
            name="survey",
            table=None,
        ),
        migrations.AlterModelTable(
            name="surveyfollowup",
            table=None,
        ),
        migrations.AlterModelTable(
            name="surveyresponse",
            table=None,
        ),
        migrations.AlterModelTable(
            name="surveyround",
            table=None,
        ),
        migrations.AlterModelTable(
            name="surveysettings",
            table=None,
        ),
        migrations.RunPython(
            _move_content_types("complaints", "surveys"), _move_content_types("surveys", "complaints")
        ),
    ]
