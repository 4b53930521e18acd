"""Filled in by the pages work."""

urlpatterns = []
