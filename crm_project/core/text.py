"""Text the database and Excel can hold.

PostgreSQL refuses NUL in text, and an .xlsx file cannot contain the other C0 control
characters (openpyxl raises IllegalCharacterError, and one such name used to break a whole
department's export). Tab, line feed and carriage return are ordinary text and stay.

Every text column of every model is cleaned just before it is saved, whatever wrote it — a
form, the API, a service or the admin — so a stray control character pasted from another
program is dropped on input rather than refused. Exports clean every cell again (see
`exports.excel_value`), for rows written by bulk statements or before this existed.
"""

import re

from django.db import models

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def clean_text_fields(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save: drop control characters from the instance's text columns (not for fixtures)."""
    if raw:
        return
    for model_field in sender._meta.concrete_fields:
        if not isinstance(model_field, models.CharField | models.TextField):
            continue
        value = getattr(instance, model_field.attname)
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            setattr(instance, model_field.attname, without_control_characters(value))
