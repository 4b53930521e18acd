# ruff: noqa: S608  (the SQL below is built from this file's own constants, never from input)
"""Monthly statements at scale (EXP-04 … EXP-06): generate every rep's statement for a month
and time the statement page and the 附表1 export, in a SEPARATE database.

    .venv/bin/python bench/statements.py                # 200 reps × 100 customers (the default)
    .venv/bin/python bench/statements.py --reps 20      # a tenth
    .venv/bin/python bench/statements.py --keep         # reuse the data a previous run loaded

Per rep it loads 100 customers with 3 fee-receiving contacts each (50/30/20 %), purchases of
2 products in the statement month (2026-09), and for the 12 months before it purchases of one
product by a tenth of the customers, partly collected — so each statement also carries
earlier months' fees that became payable (EXP-04). Everything is loaded in SQL (INSERT …
SELECT over generate_series). Then it times statement_create for every rep (one shared
StandardBook), the p50/p95 of the statement page GET /fees/statements/<id>/ as its rep
(falling back to the API detail when the page is not there), and the 附表1 export.

The database (`crm_bench_fees` unless --database) is created if missing and migrated; the
development database is never touched.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import insert_select, percentile, setup_django, timed_step

MONTH = date(2026, 9, 1)
EARLIER_MONTHS = 12
AIM_SECONDS = 60


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--customers", type=int, default=100, help="customers per rep")
    parser.add_argument("--keep", action="store_true", help="reuse the loaded data when it has the right size")
    parser.add_argument("--requests", type=int, default=40, help="timed requests of the statement page")
    parser.add_argument("--exports", type=int, default=5, help="timed 附表1 exports")
    parser.add_argument("--database", default="crm_bench_fees")
    parser.add_argument("--profile", action="store_true", help="cProfile the generation of 10 statements")
    return parser.parse_args()


# --- loading -------------------------------------------------------------------------------


def people_and_standards(reps: int):
    from django.contrib.auth.models import Group

    from crm_project.accounts.models import Department, User
    from crm_project.accounts.roles import Role
    from customers.models import Product
    from expenses.models import FeeStandard, FeeTier

    sales, _ = Department.objects.get_or_create(code="sales", defaults={"name_zh": "销售部", "name_en": "Sales"})
    finance, _ = Department.objects.get_or_create(code="finance", defaults={"name_zh": "财务部", "name_en": "Finance"})
    existing = set(User.objects.filter(username__startswith="fees_rep").values_list("username", flat=True))
    missing = [f"fees_rep{index:03d}" for index in range(1, reps + 1) if f"fees_rep{index:03d}" not in existing]
    if missing:
        users = User.objects.bulk_create(
            User(username=name, department=sales, last_name=name, password="!", language="zh-hans")  # noqa: S106
            for name in missing
        )
        group = Group.objects.get(name=Role.SALES_REP)
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
        )
    setter, created = User.objects.get_or_create(username="fees_finance", defaults={"department": finance})
    if created:
        setter.groups.set([Group.objects.get(name=Role.FINANCE)])
    products = []
    for code, name, tiers in [
        ("BF-MOD", "进口模块（压测）", [(1, 4, "5.00"), (5, 9, "7.00"), (10, 20, "9.00"), (21, None, "10.00")]),
        ("BF-SEN", "传感器（压测）", [(1, 19, "1.50"), (20, None, "2.00")]),
    ]:
        product, _ = Product.objects.get_or_create(code=code, defaults={"name": name, "unit": "件"})
        if not FeeStandard.objects.filter(product=product).exists():
            standard = FeeStandard.objects.create(product=product, valid_from=date(2024, 1, 1), created_by=setter)
            FeeTier.objects.bulk_create(
                FeeTier(standard=standard, min_quantity=low, max_quantity=high, fee_per_unit=fee)
                for low, high, fee in tiers
            )
        products.append(product.pk)
    rep_ids = list(
        User.objects.filter(username__startswith="fees_rep").order_by("username").values_list("pk", flat=True)[:reps]
    )
    return rep_ids, products


def load(rep_ids: list[int], per_rep: int, products: list[int], *, fresh: bool = True) -> None:
    """Load the reps' customers, contacts and purchases; `fresh` empties the customer tables
    first (bench/dashboard.py adds them beside bench/customers.py's instead)."""
    from django.db import connection

    from customers.models import Contact, Customer, Purchase

    count = len(rep_ids) * per_rep
    reps = "ARRAY[" + ",".join(map(str, rep_ids)) + "]"

    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(
                "TRUNCATE customers_customer, customers_historicalcustomer, customers_historicalcontact, "
                "customers_historicalpurchase, expenses_statement, expenses_historicalstatement "
                "RESTART IDENTITY CASCADE"
            )
        cursor.execute("SELECT setseed(0.17)")
        owned = f"owner_id = ANY({reps})"
        timed_step("customers", lambda: insert_select(cursor, Customer, {
            "code": "'F' || lpad(s.g::text, 7, '0')",
            "kind": "'organisation'", "name": "'压测客户' || s.g || '有限公司'", "grade": "'C'", "status": "'active'",
            # consecutive customers per rep, as a rep's book grows
            "owner_id": f"({reps})[1 + (s.g - 1) / {per_rep}]",
        }, f"generate_series(1, {count}) AS s(g)"))  # fmt: skip
        timed_step("contacts", lambda: insert_select(cursor, Contact, {
            "customer_id": "c.id", "name": "'联系人' || c.id || '-' || k", "role": "'purchaser'",
            "receives_fee": "true", "fee_share": "(ARRAY[50, 30, 20])[k]", "active": "true",
            "created_at": "now() + k * interval '1 second'",
        }, f"customers_customer c CROSS JOIN generate_series(1, 3) AS k WHERE c.{owned}"))  # fmt: skip
        price = "(ARRAY[120, 260, 480, 900])[1 + floor(random() * 4)::int]"
        timed_step("purchases (month)", lambda: insert_select(cursor, Purchase, {
            "customer_id": "p.id", "product_id": "p.product", "month": f"'{MONTH.isoformat()}'::date",
            "quantity": "p.q", "amount": "p.q * p.price",
            "returned_quantity": "0", "returned_amount": "0",
            "collected_amount": "CASE WHEN p.r < 0.8 THEN p.q * p.price ELSE round(p.q * p.price * 0.5, 2) END",
            "source": "'import'",
        }, f"(SELECT c.id, pr.product, 1 + floor(random() * 30)::int AS q, {price} AS price, random() AS r "
           f"FROM customers_customer c CROSS JOIN unnest(ARRAY{products}) AS pr(product) "
           f"WHERE c.{owned}) p"))  # fmt: skip
        timed_step("purchases (12 months)", lambda: insert_select(cursor, Purchase, {
            "customer_id": "p.id", "product_id": str(products[0]), "month": "p.month",
            "quantity": "p.q", "amount": "p.q * p.price", "returned_quantity": "0", "returned_amount": "0",
            "collected_amount": "round((p.q * p.price * (0.5 + 0.5 * p.r))::numeric, 2)", "source": "'import'",
        }, f"(SELECT c.id, m.month::date AS month, 1 + floor(random() * 20)::int AS q, {price} AS price, "
           f"random() AS r FROM customers_customer c CROSS JOIN generate_series("
           f"'{MONTH.isoformat()}'::date - interval '{EARLIER_MONTHS} months', "
           f"'{MONTH.isoformat()}'::date - interval '1 month', interval '1 month') AS m(month) "
           f"WHERE c.{owned} AND random() < 0.1) p"))  # fmt: skip
        cursor.execute("VACUUM ANALYZE")


def loaded(rep_ids: list[int], per_rep: int) -> bool:
    from customers.models import Customer

    return Customer.objects.filter(owner_id__in=rep_ids).count() == len(rep_ids) * per_rep


# --- measuring -----------------------------------------------------------------------------


def generate(rep_ids: list[int], profile: bool) -> list[float]:
    from crm_project.accounts.models import User
    from expenses.models import Statement
    from expenses.services.standards import StandardBook
    from expenses.services.statements import statement_create

    Statement.objects.filter(month=MONTH).delete()
    reps = list(User.objects.filter(pk__in=rep_ids).prefetch_related("groups").order_by("username"))
    if profile:
        import cProfile
        import pstats

        book = StandardBook()
        profiler = cProfile.Profile()
        profiler.enable()
        for rep in reps[:10]:
            statement_create(actor=rep, month=MONTH, book=book)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        Statement.objects.filter(month=MONTH).delete()
    started = time.perf_counter()
    book = StandardBook()
    each = []
    for rep in reps:
        one = time.perf_counter()
        statement_create(actor=rep, month=MONTH, book=book)
        each.append(time.perf_counter() - one)
    total = time.perf_counter() - started
    return [total, *each]


def time_get(client, urls: list[str], runs: int, *, stream=False) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch(url):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body

    status, _body = fetch(urls[0])  # warm-up
    if status != 200:
        return [], status, 0
    timings = []
    for index in range(runs):
        started = time.perf_counter()
        fetch(urls[index % len(urls)])
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fetch(urls[0])
    return timings, 200, len(queries)


def main() -> None:
    args = parse_args()
    setup_django(args.database)
    from django.test import Client

    from crm_project.accounts.models import User
    from expenses.models import Allocation, Statement, StatementLine

    rep_ids, products = people_and_standards(args.reps)
    if args.keep and loaded(rep_ids, args.customers):
        print(f"reusing {len(rep_ids) * args.customers:,} customers")
    else:
        started = time.perf_counter()
        print(f"loading {len(rep_ids)} reps × {args.customers} customers …")
        load(rep_ids, args.customers, products)
        print(f"  loaded in {time.perf_counter() - started:.0f} s")

    total, *each = generate(rep_ids, args.profile)
    lines = StatementLine.objects.filter(statement__month=MONTH).count()
    allocations = Allocation.objects.filter(line__statement__month=MONTH).count()
    print(f"generated {len(each)} statements ({lines:,} lines, {allocations:,} allocations) in {total:.1f} s")

    statements = list(Statement.objects.filter(month=MONTH).select_related("rep").order_by("rep__username")[:20])
    rows = [("generate all statements", f"{total:.1f} s", f"aim < {AIM_SECONDS} s, {len(each)} reps"),
            ("  one statement p50 / p95", f"{statistics.median(each) * 1000:.0f} / "
             f"{percentile(each, 0.95) * 1000:.0f} ms", f"{lines // max(1, len(each))} lines each")]  # fmt: skip

    # The page, as the rep: one client per statement (a rep sees only their own).
    page_note = "page /fees/statements/<id>/"
    timings: list[float] = []
    queries = 0
    for kind, pattern in (("page", "/fees/statements/{}/"), ("api", "/api/v1/statements/{}/")):
        timings = []
        per_statement = max(1, args.requests // len(statements))
        for statement in statements:
            client = Client()
            client.force_login(statement.rep)
            got, status, queries = time_get(client, [pattern.format(statement.pk)], per_statement)
            if status != 200:
                print(f"  {pattern.format(statement.pk)} answered {status}: measuring the API detail instead")
                timings = []
                break
            timings += got
        if timings:
            page_note = f"{kind} {pattern.format('<id>')}"
            break
    if timings:
        rows.append((f"statement {kind} p50 / p95", f"{statistics.median(timings):.0f} / "
                     f"{percentile(timings, 0.95):.0f} ms", f"{page_note}, {queries} queries"))  # fmt: skip

    client = Client()
    client.force_login(statements[0].rep)
    got, status, queries = time_get(client, [f"/fees/statements/{statements[0].pk}/form1.xlsx"], args.exports)
    if status == 200:
        rows.append(("附表1 export p50 / max", f"{statistics.median(got):.0f} / {max(got):.0f} ms",
                     f"form1.xlsx, {queries} queries"))  # fmt: skip
    else:
        rows.append(("附表1 export", "—", f"form1.xlsx answered {status}"))

    print()
    print(f"| {'measure':<28} | {'figure':>16} | note")
    print(f"|{'-' * 30}|{'-' * 18}|{'-' * 40}")
    for label, figure, note in rows:
        print(f"| {label:<28} | {figure:>16} | {note}")
    print(f"\n{User.objects.filter(pk__in=rep_ids).count()} reps, {Statement.objects.filter(month=MONTH).count()} "
          f"statements for {MONTH:%Y-%m}; {os.cpu_count()} CPUs")  # fmt: skip


if __name__ == "__main__":
    main()
