"""Each feature module under views/ declares its own `urlpatterns`, next to its views."""

from .views import files, pages

app_name = "suppliers"

urlpatterns = [*pages.urlpatterns, *files.urlpatterns]
