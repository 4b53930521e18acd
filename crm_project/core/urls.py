from django.urls import path

from . import pickers, views

app_name = "core"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("pickers/<slug:source>/", pickers.search, name="picker"),
]
