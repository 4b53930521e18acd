"""Filters every app's lists share."""

import django_filters


class ColumnMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """Several values of one of the row's own columns (grade A or B). django-filter adds
    `SELECT DISTINCT` to every multiple-choice filter in case it follows a join; on the row's
    own column no row can come twice, and DISTINCT over all the columns would make PostgreSQL
    sort every matching row to return one page of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)
