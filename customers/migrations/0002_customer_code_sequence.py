from django.db import migrations


class Migration(migrations.Migration):
    """Customer codes assigned automatically come from a sequence: unique under concurrency,
    never reused."""

    dependencies = [("customers", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS customers_customer_code_seq START 1",
            "DROP SEQUENCE IF EXISTS customers_customer_code_seq",
        )
    ]
