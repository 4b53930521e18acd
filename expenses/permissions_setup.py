from crm_project.accounts.roles import Role, grant

grant(Role.FINANCE, "expenses.add_feestandard", "expenses.view_feestandard", "expenses.view_ledgerentry")
grant(Role.ADMINISTRATOR, "expenses.view_feesettings", "expenses.change_feesettings", "expenses.view_feestandard")
