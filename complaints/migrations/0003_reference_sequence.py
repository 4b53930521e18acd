from django.db import migrations


class Migration(migrations.Migration):
    """Complaint references (TS-2026-000123) number from a sequence: unique when two people
    log complaints at the same moment, and never reused (CMP-01)."""

    dependencies = [("complaints", "0002_service_standards")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS complaints_complaint_reference_seq START 1",
            "DROP SEQUENCE IF EXISTS complaints_complaint_reference_seq",
        )
    ]
