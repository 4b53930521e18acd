from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="page"),
    path("<slug:key>/export/", views.block_export, name="export"),
]
