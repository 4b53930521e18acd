# ruff: noqa: S608  (the SQL below is built from this file's own constants, never from input)
"""Budgets at scale (EXP-16, EXP-17): load a year of expense applications and claims against
department budgets and time the year-end report, its Excel file, the budget pages and the
expense lists, in a SEPARATE database.

    .venv/bin/python bench/budgets.py                 # 50,000 applications + 40,000 claims
    .venv/bin/python bench/budgets.py --scale 0.1     # a tenth
    .venv/bin/python bench/budgets.py --keep          # measure again without reloading

It loads DEPARTMENTS departments of 50 people each (one head, superiors for the rest), an
approved 2026 budget per department and category (7 × DEPARTMENTS lines) with one approved
adjustment each, then the applications spread over the year, departments and the six
application categories, in the states of a real year — a tenth pending, a twentieth rejected,
the rest approved or recorded — and for four in five approved ones a claim (most accepted),
with the budget entries a service would have posted: a commitment per approved application,
its release and the spend per accepted claim. Everything is loaded in SQL (INSERT … SELECT over
generate_series), then `VACUUM ANALYZE`.

It prints p50/p95 and the number of queries of each page, for finance (the whole company) and
for a department head (one department); the target is the year-end report within 300 ms at
p95 with a constant number of queries (issue 13). The database (`crm_bench_budgets` unless
--database) is created if missing and migrated; the development database is never touched.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import insert_select, percentile, setup_django, timed_step

YEAR = 2026
DEPARTMENTS = 10
PEOPLE = 50  # per department
APPLICATIONS = 50_000
AIM_MS = 300


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the applications to load")
    parser.add_argument("--keep", action="store_true", help="reuse the loaded data when it has the right size")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--database", default="crm_bench_budgets")
    return parser.parse_args()


# --- loading -------------------------------------------------------------------------------


def people():
    """DEPARTMENTS departments of PEOPLE: the first of each is its head and everyone's superior."""
    from django.contrib.auth.models import Group

    from crm_project.accounts.models import Department, User
    from crm_project.accounts.roles import Role

    finance_department, _ = Department.objects.get_or_create(
        code="finance", defaults={"name_zh": "财务部", "name_en": "Finance"}
    )
    finance, created = User.objects.get_or_create(username="budget_finance",
                                                  defaults={"department": finance_department})  # fmt: skip
    if created:
        finance.groups.set([Group.objects.get(name=Role.FINANCE)])
    departments = []
    for index in range(1, DEPARTMENTS + 1):
        department, _ = Department.objects.get_or_create(
            code=f"bench{index:02d}", defaults={"name_zh": f"压测部门{index}", "name_en": f"Bench department {index}"}
        )
        names = [f"budget_{index:02d}_{person:02d}" for person in range(1, PEOPLE + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        User.objects.bulk_create(
            User(username=name, department=department, last_name=name, password="!", language="zh-hans")  # noqa: S106
            for name in names
            if name not in existing
        )
        head = User.objects.get(username=names[0])
        User.objects.filter(username__in=names[1:]).update(superior=head)
        if department.head_id != head.pk:
            department.head = head
            department.save(update_fields=["head"])
        departments.append(department)
    return finance, departments


def load(departments, finance, applications: int) -> None:
    from django.db import connection

    from expenses.models import (
        ApplicationApproval,
        Budget,
        BudgetAdjustment,
        BudgetEntry,
        ClaimReceipt,
        ExpenseApplication,
        ExpenseCategory,
        ExpenseClaim,
    )

    department_ids = "ARRAY[" + ",".join(str(department.pk) for department in departments) + "]"
    categories = list(ExpenseCategory.objects.filter(applications=True).order_by("order").values_list("pk", flat=True))
    category_ids = "ARRAY[" + ",".join(map(str, categories)) + "]"

    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {BudgetEntry._meta.db_table}, {ClaimReceipt._meta.db_table}, {ExpenseClaim._meta.db_table}, "
            f"{ApplicationApproval._meta.db_table}, {ExpenseApplication._meta.db_table}, "
            f"{BudgetAdjustment._meta.db_table}, {Budget._meta.db_table} RESTART IDENTITY CASCADE"
        )
        cursor.execute("SELECT setseed(0.13)")
        timed_step("budgets", lambda: insert_select(cursor, Budget, {
            "year": str(YEAR), "department_id": "d", "category_id": "c.id", "amount": "2000000",
            "status": "'approved'", "prepared_by_id": str(finance.pk), "approved_at": "now()",
        }, f"unnest({department_ids}) AS d CROSS JOIN expenses_expensecategory c"))  # fmt: skip
        timed_step("adjustments", lambda: insert_select(cursor, BudgetAdjustment, {
            "budget_id": "b.id", "amount": "100000", "reason": "'年中追加'", "status": "'approved'",
            "prepared_by_id": str(finance.pk), "approved_at": "now()",
        }, f"{Budget._meta.db_table} b"))  # fmt: skip
        # Who applies: anyone in the department but its head; the event day anywhere in the year.
        timed_step("applications", lambda: insert_select(cursor, ExpenseApplication, {
            "applicant_id": "u.id", "department_id": "u.department_id", "category_id": "s.category",
            "filed_on": "s.event - 3", "event_date": "s.event", "guest": "'客户' || s.g", "organisation":
            "'压测单位' || mod(s.g, 997) || '有限公司'", "reason": "'商务洽谈'", "persons": "s.persons",
            "estimated_cost": "s.persons * 150", "above_cap": "false", "status": "s.status",
            "superior_id": "u.superior_id", "claim_due_by": "s.event + 9",
        }, f"(SELECT g, ({category_ids})[1 + mod(g, {len(categories)})] AS category, "
           f"date '{YEAR}-01-01' + mod(g * 7919, 365) AS event, 1 + mod(g, 6) AS persons, "
           f"CASE WHEN mod(g, 20) = 0 THEN 'rejected' WHEN mod(g, 10) = 1 THEN 'pending' "
           f"WHEN mod(g, 3) = 0 THEN 'approved' ELSE 'recorded' END AS status, "
           f"({department_ids})[1 + mod(g, {DEPARTMENTS})] AS department, 2 + mod(g, {PEOPLE - 1}) AS person "
           f"FROM generate_series(1, {applications}) AS g) s "
           f"JOIN accounts_user u ON u.department_id = s.department "
           f"AND u.username = 'budget_' || lpad((array_position({department_ids}, s.department))::text, 2, '0') "
           f"|| '_' || lpad(s.person::text, 2, '0')"))  # fmt: skip
        timed_step("approvals", lambda: insert_select(cursor, ApplicationApproval, {
            "application_id": "a.id", "role": "'superior'", "user_id": "a.superior_id",
        }, f"{ExpenseApplication._meta.db_table} a WHERE a.status IN ('approved', 'recorded')"))  # fmt: skip
        timed_step("commitments", lambda: insert_select(cursor, BudgetEntry, {
            "budget_id": "b.id", "kind": "'commitment'", "amount": "a.estimated_cost", "day": "a.event_date",
            "person_id": "a.applicant_id", "application_id": "a.id", "posted_by_id": "a.superior_id",
        }, f"{ExpenseApplication._meta.db_table} a JOIN {Budget._meta.db_table} b ON b.year = {YEAR} "
           f"AND b.department_id = a.department_id AND b.category_id = a.category_id "
           f"WHERE a.status IN ('approved', 'recorded')"))  # fmt: skip
        timed_step("claims", lambda: insert_select(cursor, ExpenseClaim, {
            "application_id": "a.id", "amount": "a.estimated_cost - 10", "status":
            "CASE WHEN a.status = 'recorded' AND mod(a.id, 5) <> 0 THEN 'accepted' ELSE 'filed' END",
            "filed_by_id": "a.applicant_id", "due_by": "a.claim_due_by", "late": "false", "above_estimate": "false",
            "accepted_by_id": f"CASE WHEN a.status = 'recorded' AND mod(a.id, 5) <> 0 THEN {finance.pk} END",
            "accepted_at": "CASE WHEN a.status = 'recorded' AND mod(a.id, 5) <> 0 THEN now() END",
        }, f"{ExpenseApplication._meta.db_table} a WHERE a.status IN ('approved', 'recorded') "
           f"AND mod(a.id, 9) <> 0"))  # fmt: skip
        for kind, amount in (("release", "-a.estimated_cost"), ("spend", "c.amount")):
            timed_step(kind, lambda kind=kind, amount=amount: insert_select(cursor, BudgetEntry, {
                "budget_id": "b.id", "kind": f"'{kind}'", "amount": amount, "day": "a.event_date",
                "person_id": "a.applicant_id", "application_id": "a.id", "claim_id": "c.id",
                "posted_by_id": str(finance.pk),
            }, f"{ExpenseClaim._meta.db_table} c JOIN {ExpenseApplication._meta.db_table} a "
               f"ON a.id = c.application_id JOIN {Budget._meta.db_table} b ON b.year = {YEAR} "
               f"AND b.department_id = a.department_id AND b.category_id = a.category_id "
               f"WHERE c.status = 'accepted'"))  # fmt: skip
        cursor.execute("VACUUM ANALYZE")


def loaded(applications: int) -> bool:
    from expenses.models import ExpenseApplication

    return ExpenseApplication.objects.count() == applications


# --- measuring -----------------------------------------------------------------------------


def time_page(client, url: str, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        return response.status_code

    status = fetch()  # warm-up
    if status != 200:
        return [], status, 0
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fetch()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return timings, status, len(queries)


def main() -> None:
    args = parse_args()
    setup_django(args.database)
    from django.test import Client

    from expenses.models import Budget, BudgetEntry, ExpenseApplication, ExpenseClaim

    applications = max(100, round(APPLICATIONS * args.scale))
    finance, departments = people()
    if args.keep and loaded(applications):
        print(f"reusing {applications:,} applications")
    else:
        started = time.perf_counter()
        print(f"loading {applications:,} applications over {len(departments)} departments …")
        load(departments, finance, applications)
        print(f"  loaded in {time.perf_counter() - started:.0f} s")

    head = departments[0].head
    line = Budget.objects.filter(department=departments[0], category__code="entertainment").first()
    pages = [
        ("year-end report", f"/fees/budgets/report/?year={YEAR}"),
        ("year-end report, one category", f"/fees/budgets/report/?year={YEAR}&category={line.category_id}"),
        ("year-end report .xlsx", f"/fees/budgets/report/?year={YEAR}&format=xlsx"),
        ("budget list", "/fees/budgets/"),
        ("budget line (drill-down)", f"/fees/budgets/{line.pk}/"),
        ("applications list", "/fees/applications/"),
        ("claims list", "/fees/claims/"),
        ("API budgets", f"/api/v1/budgets/?year={YEAR}"),
    ]
    rows = []
    for who, user in (("finance", finance), ("head", head)):
        client = Client()
        client.force_login(user)
        for label, url in pages:
            timings, status, queries = time_page(client, url, args.requests)
            if status != 200:
                rows.append((who, label, "—", f"answered {status}", ""))
                continue
            p95 = percentile(timings, 0.95)
            aim = f"aim < {AIM_MS} ms" if label.startswith("year-end report") and "xlsx" not in label else ""
            rows.append((who, label, f"{statistics.median(timings):.0f} / {p95:.0f} ms", f"{queries} queries", aim))

    print()
    print(f"| {'user':<8} | {'page':<30} | {'p50 / p95':>14} | {'queries':>11} | note")
    print(f"|{'-' * 10}|{'-' * 32}|{'-' * 16}|{'-' * 13}|{'-' * 16}")
    for who, label, figure, queries, note in rows:
        print(f"| {who:<8} | {label:<30} | {figure:>14} | {queries:>11} | {note}")
    print(f"\n{ExpenseApplication.objects.count():,} applications, {ExpenseClaim.objects.count():,} claims, "
          f"{BudgetEntry.objects.count():,} budget entries, {Budget.objects.count()} budget lines; "
          f"{os.cpu_count()} CPUs")  # fmt: skip


if __name__ == "__main__":
    main()
