"""Each feature module under views/ declares its own `urlpatterns`, next to its views."""

from .views import requests

app_name = "tenants"

urlpatterns = [*requests.urlpatterns]
