from collections.abc import Iterable

from django.db import connection

# One statement for any number of customers: the row's own name, code and phone plus its
# active contacts' names and phones, lower-cased for case-insensitive search.
_REFRESH_SQL = """
UPDATE customers_customer AS c
SET search_text = lower(concat_ws(' ', c.code, c.name, c.phone, c.legal_representative, (
    SELECT string_agg(concat_ws(' ', p.name, p.phone, p.wechat), ' ')
    FROM customers_contact AS p WHERE p.customer_id = c.id AND p.active
)))
WHERE c.id = ANY(%s)
"""


def customer_refresh_search_text(*, customer_ids: Iterable[int]) -> None:
    ids = list(customer_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH_SQL, [ids])
