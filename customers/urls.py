"""Each feature module under views/ declares its own `urlpatterns`, next to its views."""

from .views import changes, customers, grading, imports, interactions, loyalty, purchases, visits

app_name = "customers"

urlpatterns = [
    *customers.urlpatterns,
    *grading.urlpatterns,
    *changes.urlpatterns,
    *interactions.urlpatterns,
    *visits.urlpatterns,
    *purchases.urlpatterns,
    *imports.urlpatterns,
    *loyalty.urlpatterns,
]
