from tests.expenses.budgets import applicant, entertainment_budget, sales_head  # noqa: F401
