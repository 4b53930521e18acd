import datetime
from decimal import Decimal

from crm_project.accounts.roles import Role
from expenses.models import FeeStandard, FeeTier
from tests.customers.factories import ContactFactory, CustomerFactory, ProductFactory, PurchaseFactory

SEPTEMBER = datetime.date(2026, 9, 1)

# EXP-02's illustration: 1–4 → ¥5, 5–9 → ¥7, 10–20 → ¥9, above 20 → ¥10.
IMPORTED_MODULE_TIERS = [(1, 4, "5.00"), (5, 9, "7.00"), (10, 20, "9.00"), (21, None, "10.00")]


def fee_standard(product, *, valid_from=datetime.date(2026, 1, 1), tiers=IMPORTED_MODULE_TIERS, by=None):
    from tests.factories import UserFactory

    by = by or UserFactory(username="standard-setter", roles=[Role.FINANCE])
    standard = FeeStandard.objects.create(product=product, valid_from=valid_from, created_by=by)
    for low, high, fee in tiers:
        FeeTier.objects.create(standard=standard, min_quantity=low, max_quantity=high, fee_per_unit=Decimal(fee))
    return standard


def fee_customer(rep, *, shares=("50.00", "30.00", "20.00"), **kwargs):
    """A customer of `rep` with fee-receiving contacts at `shares` percent."""
    customer = CustomerFactory(owner=rep, **kwargs)
    for share in shares:
        ContactFactory(customer=customer, receives_fee=True, fee_share=Decimal(share))
    return customer


def purchase(customer, product, *, month=SEPTEMBER, quantity="12", amount="1200.00", collected=None, **kwargs):
    return PurchaseFactory(
        customer=customer,
        product=product,
        month=month,
        quantity=Decimal(quantity),
        amount=Decimal(amount),
        collected_amount=Decimal(collected if collected is not None else amount),
        **kwargs,
    )


__all__ = ["ProductFactory", "fee_customer", "fee_standard", "purchase", "valid_statement"]


def valid_statement(rep, *, clerk, manager, finance, customers=None, product=None, month=SEPTEMBER):
    """`rep`'s statement for `month`, submitted and signed by clerk, manager and finance (EXP-07).
    The caller sets the clock (a day in the following month). Without `customers`, one
    customer of the rep buys 12 units (¥108 at ¥9, contacts at 50/30/20 %)."""
    from expenses.models import FeeStandard
    from expenses.services.review import statement_sign
    from expenses.services.statements import statement_create, statement_submit

    product = product or ProductFactory(code="P-MOD-IMP", name="进口模块")
    if not FeeStandard.objects.filter(product=product).exists():
        fee_standard(product)
    if customers is None:
        customers = [fee_customer(rep)]
        purchase(customers[0], product, month=month)
    statement = statement_create(actor=rep, month=month)
    statement = statement_submit(actor=rep, statement=statement)
    for signer in (clerk, manager, finance):
        statement = statement_sign(actor=signer, statement=statement)
    return statement
