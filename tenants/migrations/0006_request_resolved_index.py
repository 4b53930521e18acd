# The dashboard's tenant requests completed in a period (DSH-01): a range of resolved_at.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0005_visits"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="tenantrequest",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", False)), fields=["resolved_at"], name="request_resolved_idx"
            ),
        ),
    ]
