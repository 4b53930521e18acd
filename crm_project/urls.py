from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.login_throttle import login_throttle
from crm_project.core.observability.views import metrics
from crm_project.core.views import healthz

# The app's own error answers: pages in the user's language, JSON under /api/.
handler400 = "crm_project.core.error_pages.bad_request"
handler403 = "crm_project.core.error_pages.permission_denied"
handler404 = "crm_project.core.error_pages.page_not_found"
handler500 = "crm_project.core.error_pages.server_error"

admin.site.site_header = _("CRM administration")
admin.site.site_title = _("CRM administration")

urlpatterns = [
    path("", include("crm_project.core.urls")),
    path("login/", login_throttle(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/", include("crm_project.accounts.urls")),
    path("calendar/", include("crm_project.workdays.urls")),
    path("inbox/", include("crm_project.notifications.urls")),
    path("customers/", include("customers.urls")),
    path("fees/", include("expenses.urls")),
    path("complaints/", include("complaints.urls")),
    path("surveys/", include("crm_project.surveys.urls")),
    path("suppliers/", include("suppliers.urls")),
    path("tenants/", include("tenants.urls")),
    path("dashboard/", include("crm_project.dashboard.urls")),
    path("admin/login/", login_throttle(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("crm_project.api_urls")),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]
# Uploaded files are never served by path, not even with DEBUG on: each one is downloaded
# through a view that checks who may see its record (crm_project/core/files.py).
