"""The tenant desk API (TEN-01 … TEN-04, TEN-09, ORG-02): api/views.py."""

from .views import register

__all__ = ["register"]
