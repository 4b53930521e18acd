"""The demo data (`manage.py seed_demo`) as a module-scoped fixture, for tests that read it from
many roles: seeded once for the module with the clock pinned (so its months and deadlines are
the same on any date), inside a transaction rolled back at the end.

    demo = demo_seeded_at(datetime(2026, 3, 16, 10, 0, tzinfo=SHANGHAI))
"""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import translation

from crm_project import celery_app


def demo_seeded_at(pinned: datetime):
    @pytest.fixture(scope="module")
    def demo(django_db_setup, django_db_blocker):
        from django.db import transaction

        celery_app.conf.task_always_eager = True
        celery_app.conf.task_eager_propagates = True
        traveller = time_machine.travel(pinned, tick=True)
        traveller.start()
        try:
            with (
                django_db_blocker.unblock(),
                override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
                translation.override("en"),
                transaction.atomic(),
            ):
                # Notifications are sent on commit; run those callbacks as if the seed had committed.
                with TestCase.captureOnCommitCallbacks(execute=True):
                    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
                yield
                transaction.set_rollback(True)
        finally:
            traveller.stop()

    return demo
