# TEMPORARY: the pages are being written (helper "pages"); these names are the contract.
from django.http import HttpResponse
from django.urls import path


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


urlpatterns = [
    path("", _todo, name="supplier_list"),
    path("new/", _todo, name="supplier_create"),
    path("payment-terms/", _todo, name="payment_terms"),
    path("<int:pk>/", _todo, name="supplier_detail"),
]
