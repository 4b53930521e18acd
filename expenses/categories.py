"""The expense categories of EXP-16 as first installed; the codes are the API's, the names and
the list itself are the admin's to change. Also used by the migration that seeds them, so it
imports nothing of the app."""

CATEGORIES = [
    # code, Chinese, English, the meal cap applies, spent through applications
    ("visits", "拜访", "Visits", False, True),
    ("gifts", "礼品", "Gifts", False, True),
    ("entertainment", "交际费用", "Entertainment", True, True),
    ("events", "客户活动", "Events", False, True),
    ("rapport_fees", "客情费", "Rapport fees", False, False),
    ("surveys", "满意度调查", "Surveys", False, True),
    ("other", "其他", "Other", False, True),
]


def ensure_categories(model) -> None:
    """Create the categories that are missing (`model` is ExpenseCategory, or the migration's)."""
    for order, (code, name_zh, name_en, meal_cap, applications) in enumerate(CATEGORIES, start=1):
        model.objects.get_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "meal_cap_applies": meal_cap,
                      "applications": applications, "order": order * 10},
        )  # fmt: skip
