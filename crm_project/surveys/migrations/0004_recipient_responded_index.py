# The dashboard's survey responses in a period (DSH-01): a range of responded_at.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_tenant_recipients"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="recipient",
            index=models.Index(
                condition=models.Q(("responded_at__isnull", False)),
                fields=["responded_at"],
                name="recipient_responded_idx",
            ),
        ),
    ]
