# The dashboard's complaints received, closed and open in a period (DSH-01).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_surveys_move_out"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["received_at", "id"], name="complaint_received_idx"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", False)), fields=["closed_at"], name="complaint_closed_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=["solution_due_at", "id"],
                name="complaint_open_idx",
            ),
        ),
    ]
