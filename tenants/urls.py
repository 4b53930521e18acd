"""Each feature module under views/ declares its own `urlpatterns`, next to its views.

URL names (a contract between the pages, notifications and tests):
    tenants:desk, tenants:request_list, tenants:request_new, tenants:request_detail,
    tenants:tenant_list, tenants:tenant_new, tenants:tenant_detail, tenants:tenant_edit,
    tenants:storage_list, tenants:recording_archive, and the file downloads in views/files.py.
"""

from .views import archive, bulk, desk, files, request_actions, requests, storage, visits

app_name = "tenants"

urlpatterns = [
    *desk.urlpatterns,
    *requests.urlpatterns,
    *request_actions.urlpatterns,
    *archive.urlpatterns,
    *storage.urlpatterns,
    *files.urlpatterns,
    *visits.urlpatterns,
    *bulk.urlpatterns,
]
