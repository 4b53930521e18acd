from django.db import migrations


def seed(apps, schema_editor):
    """CMP-04 defaults: first response within 24 h; solution within 5 working days (normal)
    or 1 (urgent). Counted in working hours/days on the working-day calendar."""
    ServiceStandard = apps.get_model("complaints", "ServiceStandard")
    for severity, hours, days in (("normal", 24, 5), ("urgent", 24, 1)):
        ServiceStandard.objects.get_or_create(severity=severity, defaults={"response_hours": hours, "solution_days": days})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
