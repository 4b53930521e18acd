import datetime
from decimal import Decimal

import factory

from customers.models import Contact, ContactRole, Customer, Industry, Interaction, Product, Purchase, Visit
from customers.services.search import customer_refresh_search_text


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "manufacturing"
    name_zh = "制造业"
    name_en = "Manufacturing"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    industry = factory.SubFactory(IndustryFactory)
    owner = None  # pass owner=rep
    status = "active"
    grade = "C"

    @factory.post_generation
    def refresh_search(self, create, extracted, **kwargs):
        if create:
            customer_refresh_search_text(customer_ids=[self.pk])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    role = ContactRole.PURCHASER
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    receives_fee = False
    fee_share = Decimal("0.00")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"产品{n}")
    unit = "件"


class PurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purchase

    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    month = datetime.date(2026, 9, 1)
    quantity = Decimal("12")
    amount = Decimal("1200.00")
    collected_amount = Decimal("1200.00")


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    customer = factory.SubFactory(CustomerFactory)
    kind = "phone"
    occurred_at = factory.LazyFunction(lambda: datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC))
    summary = "电话沟通"
    created_by = factory.LazyAttribute(lambda o: o.customer.owner)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    customer = factory.SubFactory(CustomerFactory)
    owner = factory.LazyAttribute(lambda o: o.customer.owner)
    planned_date = datetime.date(2026, 11, 10)
