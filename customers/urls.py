"""Each feature module under views/ declares its own `urlpatterns`, next to its views."""

from .views import customers

app_name = "customers"

urlpatterns = [*customers.urlpatterns]
