from django.urls import path

from . import pickers, views, views_exports

app_name = "core"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("pickers/<slug:source>/", pickers.search, name="picker"),
    path("exports/<int:pk>/", views_exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", views_exports.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", views_exports.export_download, name="export_download"),
]
