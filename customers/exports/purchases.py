from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export


class PurchaseExport(Export):
    """The purchases list as on screen (CUS-10): already scoped to the user and filtered."""

    name = "purchases"
    columns = [
        Column(_("Month"), lambda p: f"{p.month:%Y-%m}", width=10),
        Column(_("Customer code"), "customer.code", width=12),
        Column(_("Customer"), "customer.name", width=32),
        Column(_("Owner"), "customer.owner.display_name", width=12),
        Column(_("Product code"), "product.code", width=12),
        Column(_("Product"), "product.name", width=20),
        Column(_("Quantity"), "quantity", width=10, kind="quantity"),
        Column(_("Amount (yuan)"), "amount", width=14, kind="money"),
        Column(_("Quantity returned"), "returned_quantity", width=10, kind="quantity"),
        Column(_("Amount returned (yuan)"), "returned_amount", width=14, kind="money"),
        Column(_("Net sales (yuan)"), "net_sales", width=14, kind="money"),
        Column(_("Collected (yuan)"), "collected_amount", width=14, kind="money"),
        Column(_("Source"), "get_source_display", width=12),
        Column(_("External reference"), "external_ref", width=18),
    ]

    def objects(self, queryset):
        return queryset.select_related("customer", "customer__owner", "product").iterator(chunk_size=self.chunk_size)
