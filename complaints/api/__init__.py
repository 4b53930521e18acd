"""The complaints API (/api/v1/complaints/). The surveys API registers itself (api/surveys.py);
the public endpoint is api/public.py, mounted at /api/v1/public/complaints/."""

from . import complaints


def register(router) -> None:
    complaints.register(router)
