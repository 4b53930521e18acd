from django.db import migrations

# EXP-03: a posted entry is never changed or removed; corrections are new entries. The
# trigger holds whatever code (or a hand-written SQL statement) tries.
CREATE = """
CREATE OR REPLACE FUNCTION expenses_ledger_entry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are immutable: post a correcting entry instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER expenses_ledger_entry_immutable
    BEFORE UPDATE OR DELETE ON expenses_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION expenses_ledger_entry_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS expenses_ledger_entry_immutable ON expenses_ledgerentry;
DROP FUNCTION IF EXISTS expenses_ledger_entry_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("expenses", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
