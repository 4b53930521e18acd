"""Each feature module under views/ declares its own `urlpatterns`, next to its views."""

from .views import public, report, staff

app_name = "complaints"

urlpatterns = [
    *staff.urlpatterns,
    *report.urlpatterns,
    *public.urlpatterns,
]
