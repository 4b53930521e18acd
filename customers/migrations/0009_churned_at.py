"""When a customer turned churned, kept by the database: `Customer.churned_at` is set by a trigger
as the status becomes 'churned', kept while it stays so and cleared when it leaves — whoever
writes (the services, imports, the admin, SQL), like the open follow-ups of migration 0007. The
dashboard's churn (DSH-01) counts a period's churned customers from it, by a partial index.
Existing churned customers get the time of their latest turn to churned from the audit history.
Also the indexes of the dashboard's other customer figures."""

from django.conf import settings
from django.db import migrations, models

# Fires only when the status is written: an UPDATE that sets churned_at alone (a correction, the
# backfill below, demo data) passes, and a save of the whole row — which writes the status and
# an outdated churned_at with it — cannot overwrite the time. An INSERT may bring the time of a
# customer loaded as churned (imports of old records); otherwise it is now.
CHURNED_AT_SQL = """
CREATE FUNCTION customers_customer_churned_at() RETURNS trigger AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM 'churned' THEN
        NEW.churned_at := NULL;
    ELSIF TG_OP = 'INSERT' THEN
        NEW.churned_at := COALESCE(NEW.churned_at, now());
    ELSIF OLD.status = 'churned' THEN
        NEW.churned_at := OLD.churned_at;
    ELSE
        NEW.churned_at := now();
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER customers_customer_churned_at
BEFORE INSERT OR UPDATE OF status ON customers_customer
FOR EACH ROW EXECUTE FUNCTION customers_customer_churned_at();
"""

# The first snapshot of the latest run of 'churned' in the customer's history (after its last
# snapshot in another status); a customer without history keeps its last change.
BACKFILL_SQL = """
UPDATE customers_customer AS c SET churned_at = COALESCE(
    (SELECT min(h.history_date) FROM customers_historicalcustomer h
     WHERE h.id = c.id AND h.status = 'churned'
       AND h.history_date > COALESCE(
           (SELECT max(o.history_date) FROM customers_historicalcustomer o
            WHERE o.id = c.id AND o.status <> 'churned'), '-infinity')),
    c.updated_at)
WHERE c.status = 'churned'
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS customers_customer_churned_at ON customers_customer;
DROP FUNCTION IF EXISTS customers_customer_churned_at();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0008_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="churned_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="churned at"),
        ),
        migrations.RunSQL(BACKFILL_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(CHURNED_AT_SQL, DROP_SQL),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("status", "churned")), fields=["churned_at", "owner"], name="customer_churned_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["owner", "id"], name="customer_owner_pk_idx"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", False)), fields=["id"], name="customer_archived_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="gradechange",
            index=models.Index(fields=["changed_at", "customer"], name="gradechange_changed_idx"),
        ),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["planned_date", "owner", "status", "customer"], name="visit_planned_owner_idx"),
        ),
    ]
