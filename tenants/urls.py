"""Each feature module under views/ declares its own `urlpatterns`, next to its views.

URL names (a contract between the pages, notifications and tests):
    tenants:desk, tenants:request_list, tenants:request_new, tenants:request_detail,
    tenants:tenant_list, tenants:tenant_new, tenants:tenant_detail, tenants:tenant_edit,
    tenants:storage_list, tenants:recording_archive, and the file downloads in views/files.py;
    the outgoing notices (TEN-06): tenants:notice_list, notice_new, notice_detail, notice_step,
    notice_receipt, notice_export, notice_templates, and the public tenants:notice_sign.
"""

from .views import (
    archive,
    bulk,
    desk,
    fees,
    files,
    fire,
    meetings,
    notice_sign,
    notices,
    request_actions,
    requests,
    storage,
    visits,
)

app_name = "tenants"

urlpatterns = [
    *desk.urlpatterns,
    *requests.urlpatterns,
    *request_actions.urlpatterns,
    *archive.urlpatterns,
    *storage.urlpatterns,
    *files.urlpatterns,
    *meetings.urlpatterns,
    *fees.urlpatterns,
    *fire.urlpatterns,
    *notice_sign.urlpatterns,
    *notices.urlpatterns,
    *visits.urlpatterns,
    *bulk.urlpatterns,
]
