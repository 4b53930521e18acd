"""Response headers every answer of the app carries. Static files are served by whitenoise
before these middlewares run, so they keep their own (long) caching."""

from django.conf import settings


class NoStoreMiddleware:
    """Pages, downloads and API answers hold business data or one-time links: no browser history,
    shared computer or proxy may keep a copy (`Cache-Control: no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.static_prefix):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response


class PermissionsPolicyMiddleware:
    """Switch off the browser features the CRM never uses (Django has no setting for this header)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.setdefault("Permissions-Policy", self.value)
        return response
