"""The model permissions each role holds in this app (ORG-01).

Purchase figures are fee inputs (EXP-04): only the ERP integration, the sales clerk and
finance write them; reps, managers and directors read them."""

from crm_project.accounts.roles import Role, grant

_everything = [
    f"customers.{action}_{model}"
    for model in ("customer", "contact", "interaction", "visit", "loyaltyentry")
    for action in ("view", "add", "change")
]
_feed_purchases = ["customers.add_purchase", "customers.change_purchase"]

grant(Role.SALES_REP, *_everything, "customers.view_purchase", "customers.view_product", "customers.add_importbatch")
grant(
    Role.SALES_CLERK,
    *_everything,
    "customers.view_purchase",
    *_feed_purchases,
    "customers.view_product",
    "customers.add_importbatch",
)
grant(
    Role.SALES_MANAGER, *_everything, "customers.view_purchase", "customers.view_product", "customers.add_importbatch"
)
grant(Role.SALES_DIRECTOR, *_everything, "customers.view_purchase", "customers.view_product")
grant(Role.FINANCE, *_feed_purchases, "customers.view_product", "customers.add_importbatch")
grant(Role.INTEGRATION, *_feed_purchases, "customers.view_product", "customers.add_product")
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
