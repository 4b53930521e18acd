from django.db import migrations

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

# The categories of EXP-16; the codes are the API's, the names and the list are the admin's.
CATEGORIES = [
    ("visits", "拜访", "Visits", False, True),
    ("gifts", "礼品", "Gifts", False, True),
    ("entertainment", "交际费用", "Entertainment", True, True),
    ("events", "客户活动", "Events", False, True),
    ("rapport_fees", "客情费", "Rapport fees", False, False),
    ("surveys", "满意度调查", "Surveys", False, True),
    ("other", "其他", "Other", False, True),
]


def seed(apps, schema_editor):
    category = apps.get_model("expenses", "ExpenseCategory")
    for order, (code, name_zh, name_en, meal_cap, applications) in enumerate(CATEGORIES, start=1):
        category.objects.get_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "meal_cap_applies": meal_cap,
                      "applications": applications, "order": order * 10},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("expenses", "0007_budgets_and_expense_claims")]

    operations = [migrations.RunSQL(CREATE, DROP), migrations.RunPython(seed, migrations.RunPython.noop)]
