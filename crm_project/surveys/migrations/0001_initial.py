"""The surveys move here from the complaints app (issue 12). Their tables already exist, made by
complaints' migrations: this migration only takes the models over in Django's state
(SeparateDatabaseAndState, no database operation), so every survey, round, recipient token,
response and answer stays where it is. 0002 then renames the tables and moves the content
types, which keeps the groups' permissions."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("complaints", "0005_complaint_tenant"),
        ("customers", "0006_picker_statistics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Question",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        (
                            "kind",
                            models.CharField(
                                choices=[("score", "score 1–5"), ("choice", "single choice"), ("text", "free text")],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("text", models.CharField(max_length=300, verbose_name="question")),
                        (
                            "choices",
                            models.JSONField(
                                blank=True, default=list, help_text="for single choice", verbose_name="choices"
                            ),
                        ),
                        ("required", models.BooleanField(default=True, verbose_name="required")),
                    ],
                    options={
                        "verbose_name": "question",
                        "verbose_name_plural": "questions",
                        "db_table": "complaints_question",
                        "ordering": ["survey", "order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Survey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "audience",
                            models.CharField(
                                choices=[("customers", "customer contacts"), ("tenants", "tenants")],
                                default="customers",
                                max_length=10,
                                verbose_name="audience",
                            ),
                        ),
                        ("introduction", models.TextField(blank=True, verbose_name="introduction")),
                        (
                            "scheduled",
                            models.BooleanField(
                                default=False, help_text="used by the scheduled rounds", verbose_name="sent on schedule"
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                    ],
                    options={
                        "verbose_name": "survey 满意度调查",
                        "verbose_name_plural": "surveys",
                        "db_table": "complaints_survey",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="SurveySettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "link_days",
                            models.PositiveSmallIntegerField(default=30, verbose_name="links valid for (days)"),
                        ),
                        (
                            "customer_round_months",
                            models.PositiveSmallIntegerField(default=3, verbose_name="customer rounds every (months)"),
                        ),
                        (
                            "tenant_round_months",
                            models.PositiveSmallIntegerField(default=6, verbose_name="tenant rounds every (months)"),
                        ),
                        (
                            "low_score",
                            models.PositiveSmallIntegerField(
                                default=2, verbose_name="a score at or below this opens a follow-up"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "survey settings",
                        "verbose_name_plural": "survey settings",
                        "db_table": "complaints_surveysettings",
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalSurvey",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "audience",
                            models.CharField(
                                choices=[("customers", "customer contacts"), ("tenants", "tenants")],
                                default="customers",
                                max_length=10,
                                verbose_name="audience",
                            ),
                        ),
                        ("introduction", models.TextField(blank=True, verbose_name="introduction")),
                        (
                            "scheduled",
                            models.BooleanField(
                                default=False, help_text="used by the scheduled rounds", verbose_name="sent on schedule"
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                        ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical survey 满意度调查",
                        "verbose_name_plural": "historical surveys",
                        "db_table": "complaints_historicalsurvey",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalSurveySettings",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        (
                            "link_days",
                            models.PositiveSmallIntegerField(default=30, verbose_name="links valid for (days)"),
                        ),
                        (
                            "customer_round_months",
                            models.PositiveSmallIntegerField(default=3, verbose_name="customer rounds every (months)"),
                        ),
                        (
                            "tenant_round_months",
                            models.PositiveSmallIntegerField(default=6, verbose_name="tenant rounds every (months)"),
                        ),
                        (
                            "low_score",
                            models.PositiveSmallIntegerField(
                                default=2, verbose_name="a score at or below this opens a follow-up"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical survey settings",
                        "verbose_name_plural": "historical survey settings",
                        "db_table": "complaints_historicalsurveysettings",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Answer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("score", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("choice", models.CharField(blank=True, max_length=200)),
                        ("text", models.TextField(blank=True)),
                        (
                            "question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="answers",
                                to="surveys.question",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "answer",
                        "verbose_name_plural": "answers",
                        "db_table": "complaints_answer",
                    },
                ),
                migrations.CreateModel(
                    name="Recipient",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        ("email", models.EmailField(max_length=254, verbose_name="e-mail")),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("expires_at", models.DateTimeField(verbose_name="link expires")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("responded_at", models.DateTimeField(blank=True, null=True, verbose_name="answered at")),
                        (
                            "contact",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="customers.contact",
                            ),
                        ),
                        (
                            "customer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="customers.customer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "survey recipient",
                        "verbose_name_plural": "survey recipients",
                        "db_table": "complaints_recipient",
                        "ordering": ["round", "name"],
                    },
                ),
                migrations.AddField(
                    model_name="question",
                    name="survey",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="questions", to="surveys.survey"
                    ),
                ),
                migrations.CreateModel(
                    name="SurveyFollowUp",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="opened at")),
                        ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done at")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "answer",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follow_up",
                                to="surveys.answer",
                            ),
                        ),
                        (
                            "customer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="customers.customer",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="owner",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "survey follow-up",
                        "verbose_name_plural": "survey follow-ups",
                        "db_table": "complaints_surveyfollowup",
                        "ordering": ["done_at", "-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="SurveyResponse",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("submitted_at", models.DateTimeField(auto_now_add=True, verbose_name="submitted at")),
                        (
                            "recipient",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="response",
                                to="surveys.recipient",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "survey response",
                        "verbose_name_plural": "survey responses",
                        "db_table": "complaints_surveyresponse",
                        "ordering": ["-submitted_at"],
                    },
                ),
                migrations.AddField(
                    model_name="answer",
                    name="response",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="answers", to="surveys.surveyresponse"
                    ),
                ),
                migrations.CreateModel(
                    name="SurveyRound",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "period",
                            models.CharField(
                                blank=True,
                                help_text="e.g. 2026-Q4 for a scheduled round; unique per survey",
                                max_length=20,
                                verbose_name="period",
                            ),
                        ),
                        ("criteria", models.JSONField(blank=True, default=dict, verbose_name="recipients chosen by")),
                        ("started_at", models.DateTimeField(auto_now_add=True, verbose_name="started at")),
                        ("closes_at", models.DateTimeField(verbose_name="closes at")),
                        ("closed", models.BooleanField(default=False, verbose_name="closed")),
                        (
                            "started_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="started by",
                            ),
                        ),
                        (
                            "survey",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="rounds",
                                to="surveys.survey",
                                verbose_name="survey",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "survey round",
                        "verbose_name_plural": "survey rounds",
                        "db_table": "complaints_surveyround",
                        "ordering": ["-started_at"],
                    },
                ),
                migrations.AddField(
                    model_name="recipient",
                    name="round",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="recipients", to="surveys.surveyround"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="answer",
                    constraint=models.UniqueConstraint(fields=("response", "question"), name="one_answer_per_question"),
                ),
                migrations.AddConstraint(
                    model_name="answer",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("score__isnull", True), models.Q(("score__gte", 1), ("score__lte", 5)), _connector="OR"
                        ),
                        name="answer_score_1_to_5",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="surveyround",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("period", ""), _negated=True),
                        fields=("survey", "period"),
                        name="one_scheduled_round_per_period",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="recipient",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("contact__isnull", False)),
                        fields=("round", "contact"),
                        name="one_link_per_contact_and_round",
                    ),
                ),
            ],
        ),
    ]
