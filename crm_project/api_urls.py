"""The REST API, v1. Each business app registers its viewsets through its `api.register(router)`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from complaints import api as complaints_api
from complaints.api.public import PublicComplaintView
from crm_project.accounts.api import MeView
from crm_project.accounts.login_throttle import login_throttle
from crm_project.accounts.tokens.api import TokenView
from crm_project.dashboard.api import DashboardView
from crm_project.notifications.api import NotificationViewSet
from crm_project.surveys import api as surveys_api
from crm_project.workdays.api import WorkdaysView
from customers import api as customers_api
from expenses import api as expenses_api
from suppliers import api as suppliers_api
from tenants import api as tenants_api

router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
customers_api.register(router)
expenses_api.register(router)
complaints_api.register(router)
surveys_api.register(router)
suppliers_api.register(router)
tenants_api.register(router)

urlpatterns = [
    path("auth/token/", login_throttle(TokenView.as_view()), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("workdays/", WorkdaysView.as_view(), name="api-workdays"),
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("public/complaints/", PublicComplaintView.as_view(), name="api-public-complaint"),
    path("", include(router.urls)),
]
