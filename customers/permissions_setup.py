"""The model permissions each role holds in this app (ORG-01)."""

from crm_project.accounts.roles import Role, grant

_everything = [
    f"customers.{action}_{model}"
    for model in ("customer", "contact", "interaction", "visit", "purchase", "loyaltyentry")
    for action in ("view", "add", "change")
]

grant(Role.SALES_REP, *_everything, "customers.view_product", "customers.add_importbatch")
grant(Role.SALES_CLERK, *_everything, "customers.view_product", "customers.add_importbatch")
grant(Role.SALES_MANAGER, *_everything, "customers.view_product", "customers.add_importbatch")
grant(Role.SALES_DIRECTOR, *_everything, "customers.view_product")
grant(Role.MANAGEMENT, *(f"customers.view_{m}" for m in ("customer", "contact", "interaction", "visit", "purchase")))
grant(
    Role.ADMINISTRATOR,
    "customers.view_industry",
    "customers.add_industry",
    "customers.change_industry",
    "customers.view_product",
    "customers.add_product",
    "customers.change_product",
    "customers.view_customersettings",
    "customers.change_customersettings",
)
