from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    name = "expenses"
    verbose_name = _("Rapport fees")

    def ready(self) -> None:
        from . import (  # noqa: F401
            access_rules,
            access_rules_budgets,
            dashboard,
            my_work,
            my_work_expenses,
            navigation,
            permissions_setup,
            schedules,
        )
        from .navigation_expenses import EXPENSE_MENU  # noqa: F401
        from .services import corrections
        from .timeline import register_timeline

        # Purchases of months on submitted or signed statements are frozen (EXP-04).
        corrections.register()
        register_timeline()
