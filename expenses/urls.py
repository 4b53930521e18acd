"""Each feature module under views/ declares its own `urlpatterns`, next to its views."""

from .views import home

app_name = "expenses"

urlpatterns = [*home.urlpatterns]
