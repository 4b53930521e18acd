from django.db import migrations

from expenses.categories import ensure_categories

# EXP-03 / EXP-16: a budget entry is never changed or removed; a release is a new entry.
CREATE = """
CREATE OR REPLACE FUNCTION expenses_budget_entry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'budget entries are immutable: post a correcting entry instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER expenses_budget_entry_immutable
    BEFORE UPDATE OR DELETE ON expenses_budgetentry
    FOR EACH ROW EXECUTE FUNCTION expenses_budget_entry_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS expenses_budget_entry_immutable ON expenses_budgetentry;
DROP FUNCTION IF EXISTS expenses_budget_entry_immutable();
"""

def seed(apps, schema_editor):
    ensure_categories(apps.get_model("expenses", "ExpenseCategory"))


class Migration(migrations.Migration):
    dependencies = [("expenses", "0007_budgets_and_expense_claims")]

    operations = [migrations.RunSQL(CREATE, DROP), migrations.RunPython(seed, migrations.RunPython.noop)]
