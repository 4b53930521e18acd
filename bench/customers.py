# ruff: noqa: S608  (the SQL below is built from this file's own constants, never from input)
"""Customers at scale: load a realistic data set into a SEPARATE database and time the pages.

    .venv/bin/python bench/customers.py                 # 100,000 customers (the default)
    .venv/bin/python bench/customers.py --scale 0.1     # a tenth of everything
    .venv/bin/python bench/customers.py --keep          # reuse the data a previous run loaded

Per customer it loads 3 contacts, 10 interactions, 12 purchase rows (one a month) and 2 visits,
with Chinese names so the text search is realistic — all in SQL (INSERT … SELECT over
generate_series), so 100,000 customers load in a few minutes on two cores. It then refreshes
the search text with the application's own SQL, runs VACUUM ANALYZE, and measures with Django's
test Client, as a rep who owns 1/20th of the customers and as their sales manager who sees the
whole department: p50/p95 server time of the filtered list, a Chinese text search, the customer
page, the interactions and visits lists, and an Excel export at ~2,000 and ~10,000 rows with its
peak Python memory (tracemalloc) to show that memory stays flat.

The database (`crm_bench` unless --database) is created if missing and migrated; the
development database is never touched.
"""

import argparse
import importlib
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import insert_select, percentile, setup_django

REPS = 20  # in Sales, the bench manager's department
OTHER_REPS = 5  # in a second sales department: a fifth of the customers the manager must not see
SLOW_MS = 150


def words(text: str) -> list[str]:
    return text.split()


CITIES = words("北京 上海 广州 深圳 杭州 南京 成都 武汉 西安 苏州 天津 重庆 长沙 郑州 青岛 宁波 厦门 合肥 济南 福州")
WORDS = words("华盛 宏达 恒信 金源 鑫隆 东方 永丰 瑞祥 天合 博远 中联 新华 长城 海纳 汇通 嘉禾 联创 安泰 德利 明辉")
TRADES = words("科技 电子 医药 能源 机械 贸易 建设 教育 物流 食品 化工 材料")
SURNAMES = words("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗")
GIVEN = words("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 兰 霞")
PROVINCES = words("广东 浙江 江苏 上海 北京")
SUMMARIES = ["电话沟通下月订货计划", "微信确认到货情况", "上门拜访，介绍新品", "会议讨论年度框架协议", "邮件发送报价单"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000, help="customers at scale 1.0")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every count")
    parser.add_argument("--keep", action="store_true", help="reuse the loaded data when it has the right size")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--export-requests", type=int, default=8, help="timed requests per export")
    parser.add_argument("--database", default="crm_bench")
    parser.add_argument("--only", choices=["all", "pickers"], default="all", help="time only the picker endpoints")
    return parser.parse_args()


# --- loading -------------------------------------------------------------------------------


def sql_array(values) -> str:
    if all(isinstance(value, int) for value in values):
        return "(ARRAY[" + ",".join(str(value) for value in values) + "])"
    return "(ARRAY[" + ",".join("'" + value.replace("'", "''") + "'" for value in values) + "])"


def pick(values, random_expr: str = "random()") -> str:
    return f"({sql_array(values)})[1 + floor({random_expr} * {len(values)})::int]"


def people_and_reference_data():
    from django.contrib.auth.models import Group

    from crm_project.accounts.models import Department, User
    from crm_project.accounts.roles import Role
    from customers.models import Industry, Product

    sales, _ = Department.objects.get_or_create(code="sales", defaults={"name_zh": "销售部", "name_en": "Sales"})
    east, _ = Department.objects.get_or_create(
        code="bench_east", defaults={"name_zh": "华东销售部", "name_en": "East China sales"}
    )

    def person(username, role, department=sales):
        user, created = User.objects.get_or_create(
            username=username, defaults={"department": department, "language": "zh-hans", "last_name": username}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=role)])
        return user

    reps = [person(f"bench_rep{index:02d}", Role.SALES_REP) for index in range(1, REPS + 1)]
    reps += [person(f"bench_east{index:02d}", Role.SALES_REP, east) for index in range(1, OTHER_REPS + 1)]
    manager = person("bench_manager", Role.SALES_MANAGER)
    industries = [
        Industry.objects.get_or_create(code=code, defaults={"name_zh": zh, "name_en": code})[0].pk
        for code, zh in [("manufacturing", "制造业"), ("energy", "能源"), ("finance", "金融"), ("education", "教育"),
                         ("healthcare", "医疗"), ("real_estate", "房地产"), ("services", "服务业"), ("other", "其他")]
    ]  # fmt: skip
    products = [
        Product.objects.get_or_create(code=f"BP{index:02d}", defaults={"name": f"产品{index}", "unit": "件"})[0].pk
        for index in range(1, 21)
    ]
    return reps, manager, industries, products


def load(count: int, reps, industries, products) -> None:
    from django.db import connection

    from customers.models import Contact, Customer, Interaction, Purchase, Visit
    from customers.services.search import customer_refresh_search_text

    rep_ids = [rep.pk for rep in reps]
    steps: list[tuple[str, float, int]] = []

    def step(name, function):
        started = time.perf_counter()
        rows = function()
        steps.append((name, time.perf_counter() - started, rows))
        print(f"  {name:<28} {rows:>10,} rows {time.perf_counter() - started:7.1f} s", flush=True)

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE customers_customer, customers_historicalcustomer, customers_historicalcontact, "
            "customers_historicalinteraction, customers_historicalvisit, customers_historicalpurchase "
            "RESTART IDENTITY CASCADE"
        )
        cursor.execute("SELECT setseed(0.42)")
        organisation = f"{pick(CITIES, 's.r3')} || {pick(WORDS, 's.r4')} || {pick(TRADES, 's.r5')} || '有限公司'"
        person = f"{pick(SURNAMES, 's.r4')} || {pick(GIVEN, 's.r5')} || {pick(GIVEN, 's.r3')}"
        step(
            "customers",
            lambda: insert_select(
                cursor,
                Customer,
                {
                    "code": "'B' || lpad(s.g::text, 7, '0')",
                    "kind": "CASE WHEN mod(s.g, 10) = 0 THEN 'individual' ELSE 'organisation' END",
                    "name": f"CASE WHEN mod(s.g, 10) = 0 THEN {person} ELSE {organisation} END",
                    "grade": "CASE WHEN s.r1 < 0.10 THEN 'A' WHEN s.r1 < 0.30 THEN 'B' "
                    "WHEN s.r1 < 0.65 THEN 'C' ELSE 'D' END",
                    "status": "CASE WHEN s.r2 < 0.70 THEN 'active' WHEN s.r2 < 0.85 THEN 'potential' "
                    "WHEN s.r2 < 0.95 THEN 'churned' ELSE 'blacklisted' END",
                    # Blocks of ten customers per rep: every rep owns organisations and one
                    # individual in ten, as a real portfolio does (not only individuals).
                    "owner_id": f"{sql_array(rep_ids)}[1 + mod(s.g / 10, {len(rep_ids)})]",
                    "industry_id": pick(industries, "s.r3"),
                    "size": pick(["large", "medium", "small", "sole"], "s.r5"),
                    "region": f"{sql_array(PROVINCES)}[1 + mod(s.g / 10, {len(PROVINCES)})]",
                    "address": f"{pick(CITIES, 's.r4')} || '市' || (1 + floor(s.r5 * 300))::int || '号'",
                    "legal_representative": person,
                    "phone": "'0' || (10 + mod(s.g, 89)) || '-' || lpad(mod(s.g * 7919, 100000000)::text, 8, '0')",
                    "first_deal_date": "current_date - floor(s.r3 * 3000)::int",
                },
                f"(SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5 "
                f"FROM generate_series(1, {count}) g) s",
            ),
        )
        step(
            "customer history",
            lambda: insert_select(
                cursor,
                Customer.history.model,
                {
                    **{
                        field.column: f'c."{field.column}"'
                        for field in Customer.history.model._meta.concrete_fields
                        if field.column in {f.column for f in Customer._meta.concrete_fields}
                    },
                    "history_date": "c.created_at",
                    "history_type": "'+'",
                },
                "customers_customer c",
            ),
        )
        step(
            "contacts (3 each)",
            lambda: insert_select(
                cursor,
                Contact,
                {
                    "customer_id": "c.id",
                    "name": f"{pick(SURNAMES)} || {pick(GIVEN)} || {pick(GIVEN)}",
                    "role": "(ARRAY['purchaser','purchasing_head','executive'])[k]",
                    "phone": "'139' || lpad(mod(c.id * 3 + k, 100000000)::text, 8, '0')",
                    "wechat": "'wx' || c.id || '_' || k",
                    "birthday": "date '1960-01-01' + floor(random() * 15000)::int",
                },
                "customers_customer c CROSS JOIN generate_series(1, 3) k",
            ),
        )
        # Row triggers (the open follow-ups, migration customers 0007) are for one row at a time;
        # the bulk load runs without them and then sets the flag in one statement.
        cursor.execute("SET session_replication_role = replica")
        step(
            "interactions (10 each)",
            lambda: insert_select(
                cursor,
                Interaction,
                {
                    "customer_id": "c.id",
                    "kind": "(ARRAY['phone','email','wechat','meeting','visit'])[1 + mod(c.id + k, 5)]",
                    "occurred_at": "now() - (random() + k - 1) * interval '73 days'",
                    "summary": pick(SUMMARIES),
                    "next_step": "CASE WHEN k = 1 THEN '发送报价单' ELSE '' END",
                    "follow_up_date": "CASE WHEN k = 1 THEN current_date + mod(c.id, 20)::int - 10 END",
                    "created_by_id": "c.owner_id",
                },
                "customers_customer c CROSS JOIN generate_series(1, 10) k",
            ),
        )
        step(
            "purchases (12 months each)",
            lambda: insert_select(
                cursor,
                Purchase,
                {
                    "customer_id": "c.id",
                    "product_id": f"{sql_array(products)}[1 + mod(c.id + k * 7, {len(products)})]",
                    "month": "(date_trunc('month', current_date) - (k + 1) * interval '1 month')::date",
                    "quantity": "x.quantity",
                    "amount": "x.quantity * x.price",
                    "returned_quantity": "x.returned",
                    "returned_amount": "x.returned * x.price",
                    "collected_amount": "(x.quantity - x.returned) * x.price * CASE WHEN k = 0 THEN 0.6 ELSE 1 END",
                    "source": "'import'",
                },
                "customers_customer c CROSS JOIN generate_series(0, 11) k CROSS JOIN LATERAL ("
                "SELECT q AS quantity, CASE WHEN random() < 0.1 + 0 * k THEN 1 ELSE 0 END AS returned, "
                f"{pick([120, 260, 480, 900], 'random() + 0 * k')} AS price "
                "FROM (SELECT 1 + floor(random() * 30 + 0 * k) AS q) q) x",
            ),
        )
        step(
            "visits (2 each)",
            lambda: insert_select(
                cursor,
                Visit,
                {
                    "customer_id": "c.id",
                    "owner_id": "c.owner_id",
                    "planned_date": "CASE WHEN k = 1 THEN current_date - 20 - mod(c.id, 60)::int "
                    "ELSE current_date + mod(c.id, 40)::int - 10 END",
                    "status": "CASE WHEN k = 1 THEN 'completed' ELSE 'planned' END",
                    "completed_at": "CASE WHEN k = 1 THEN now() - (20 + mod(c.id, 60)) * interval '1 day' END",
                    "purpose": "CASE WHEN k = 1 THEN '季度回访' ELSE '' END",
                    "people_met": "CASE WHEN k = 1 THEN '采购部领导' ELSE '' END",
                    "findings": "CASE WHEN k = 1 THEN '客户对交付满意，关注价格' ELSE '' END",
                    "generated": "true",
                },
                "customers_customer c CROSS JOIN generate_series(1, 2) k",
            ),
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        follow_ups = importlib.import_module("customers.migrations.0007_open_follow_ups")

        def open_follow_ups():
            cursor.execute(follow_ups.BACKFILL_SQL)
            return cursor.rowcount

        step("open follow-ups", open_follow_ups)

        def refresh_search_text():
            customer_refresh_search_text(customer_ids=Customer.objects.values_list("pk", flat=True))
            return count

        step("search text", refresh_search_text)
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"  {'vacuum analyze':<28} {'':>10}      {time.perf_counter() - started:7.1f} s")
    print(f"  loaded in {sum(seconds for _name, seconds, _rows in steps):.0f} s")


# --- measuring -----------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        from django.test import Client

        self.args = args
        self.results: list[dict] = []
        self.Client = Client

    def client_for(self, user):
        client = self.Client()
        client.force_login(user)
        return client

    def run(self, label: str, who: str, client, urls: list[str], runs: int, *, export=False) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def fetch(url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if export:
                return b"".join(response.streaming_content)
            return response

        fetch(urls[0])  # warm-up: templates, caches, the connection
        timings = []
        for index in range(runs):
            started = time.perf_counter()
            fetch(urls[index % len(urls)])
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = fetch(urls[0])
        result = {
            "label": label,
            "who": who,
            "p50": statistics.median(timings),
            "p95": percentile(timings, 0.95),
            "queries": len(queries),
            "slowest": max(queries.captured_queries, key=lambda query: float(query["time"]), default=None),
            "rows": None if export else rows_returned(response),
        }
        if export:
            from crm_project.core.models import ExportLog

            result["rows"] = ExportLog.objects.order_by("-pk").values_list("row_count", flat=True).first()
            tracemalloc.start()
            fetch(urls[0])
            result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        self.results.append(result)
        extra = f"  rows {result['rows']:,}  peak {result['peak_mb']:.1f} MB" if export else ""
        if not export and result["rows"] is not None:
            extra = f"  rows {result['rows']}"
        print(f"  {label:<34} {who:<8} p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
              f"{result['queries']:3d} queries{extra}", flush=True)  # fmt: skip

    def background_export(self, label: str, client, url: str) -> None:
        """An export above EXPORT_BACKGROUND_ROWS: the request answers with the job's page at
        once; the worker's part (crm_project/core/background_exports.py) is run here, timed,
        with the growth of the peak memory — flat however many rows it writes."""
        from crm_project.core.background_exports import export_run

        started = time.perf_counter()
        response = client.get(url)
        request_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, (url, response.status_code)
        job_id = int(response["Location"].rstrip("/").split("/")[-1])
        # tracemalloc would slow the job several times over: the growth of the process's peak
        # resident memory (0 when it stays under the peak it had) tells whether memory is flat.
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        job = export_run(job_id=job_id)
        seconds = time.perf_counter() - started
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert job.status == "done", job.failure
        result = {"label": f"{label} (request; job {seconds:.1f} s)", "who": "manager", "p50": request_ms,
                  "p95": request_ms, "queries": 0,
                  "rows": job.processed_rows, "peak_mb": peak, "job_s": seconds}  # fmt: skip
        self.results.append(result)
        print(f"  {label:<34} manager  request {request_ms:6.1f} ms, job {seconds:5.1f} s, "
              f"rows {job.processed_rows:,}, peak memory +{peak:.1f} MB", flush=True)  # fmt: skip

    def report(self) -> None:
        header = ("page", "as", "p50 ms", "p95 ms", "queries", "rows", "peak MB")
        widths = (34, 7, 7, 7, 7, 7, 7)
        print()
        print("| " + " | ".join(f"{text:<{width}}" for text, width in zip(header, widths, strict=True)) + " |")
        print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
        for r in self.results:
            cells = (
                r["label"],
                r["who"],
                f"{r['p50']:.1f}",
                f"{r['p95']:.1f}",
                str(r["queries"]),
                (f"{r['rows']:,}" if isinstance(r["rows"], int) else r["rows"]) if r.get("rows") is not None else "",
                f"{r['peak_mb']:.1f}" if "peak_mb" in r else "",
            )
            print("| " + " | ".join(
                f"{text:<{width}}" if index < 2 else f"{text:>{width}}"
                for index, (text, width) in enumerate(zip(cells, widths, strict=True))
            ) + " |")  # fmt: skip
        slow = [r for r in self.results if r["p95"] > SLOW_MS and "peak_mb" not in r]
        if slow:
            print(f"\nAbove {SLOW_MS} ms at p95 — the slowest query of one request:")
            for r in slow:
                query = r["slowest"]
                print(f"- {r['label']} ({r['who']}): {float(query['time']) * 1000:.0f} ms: {query['sql'][:600]}")


def rows_returned(response) -> str | None:
    """What a page answered: a list's count (as the page shows it, "10,000+" beyond the cap),
    or a picker's number of results — so that a search that finds nothing is not mistaken for
    a fast one."""
    if response.get("Content-Type", "").startswith("application/json"):
        results = response.json().get("results")
        return f"{len(results)}" if results is not None else None
    paginator = (getattr(response, "context_data", None) or {}).get("paginator")
    if paginator is None:
        return None
    return f"{paginator.cap:,}+" if getattr(paginator, "capped", False) else f"{paginator.count:,}"


PICKER_TERMS = [
    ("picker 1 char 华", "华"),
    ("picker 2 chars 宏达", "宏达"),
    ("picker 6 chars 深圳华盛科技", "深圳华盛科技"),
    ("picker code B00012", "B00012"),
    ("picker no match 龘 (worst case)", "龘"),
    ("picker empty (on focus)", ""),
]
PICKER_MS = 100


def measure_pickers(bench, as_rep, as_manager, runs) -> None:
    """The customer picker endpoint (/pickers/customers/?q=…): issue 9 wants < 100 ms at p95
    with 100,000 customers, for 1- and 2-character Chinese terms too."""
    from urllib.parse import quote

    first = len(bench.results)
    for who, client in (("rep", as_rep), ("manager", as_manager)):
        for label, term in PICKER_TERMS:
            bench.run(label, who, client, [f"/pickers/customers/?q={quote(term)}"], runs)
        bench.run("picker users (department reps)", who, client, ["/pickers/users/?scope=department_reps&q=r"], runs)
    worst = max(bench.results[first:], key=lambda r: r["p95"])
    verdict = "within" if worst["p95"] < PICKER_MS else "ABOVE"
    print(f"  pickers: slowest p95 {worst['p95']:.1f} ms ({worst['label']}, {worst['who']}) — "
          f"{verdict} the {PICKER_MS} ms target", flush=True)  # fmt: skip


def measure(args, reps, manager) -> None:
    from urllib.parse import quote

    import customers.my_work  # noqa: F401  (the "My work" panels, in case apps.py does not import them yet)
    from customers.models import Customer
    from customers.selectors import customer_visible_to

    rep = reps[0]
    bench = Bench(args)
    as_rep, as_manager = bench.client_for(rep), bench.client_for(manager)
    own = list(Customer.objects.filter(owner=rep).order_by("pk").values_list("pk", flat=True)[: args.requests])
    department = customer_visible_to(manager)
    seen = department.count()
    everyone = list(department.order_by("pk").values_list("pk", flat=True)[:: max(1, seen // args.requests)])
    print(f"\nmeasuring: {rep.username} owns {Customer.objects.filter(owner=rep).count():,} customers; "
          f"{manager.username} sees {seen:,} of {Customer.objects.count():,}")  # fmt: skip
    runs = args.requests
    measure_pickers(bench, as_rep, as_manager, runs)
    if args.only == "pickers":
        bench.report()
        return
    for who, client in (("rep", as_rep), ("manager", as_manager)):
        bench.run("customer list grade=A&status=active", who, client, ["/customers/?grade=A&status=active"], runs)
        bench.run("search 华盛 (2 chars)", who, client, [f"/customers/?q={quote('华盛')}"], runs)
        bench.run("search 深圳华盛 (4 chars)", who, client, [f"/customers/?q={quote('深圳华盛')}"], runs)
        bench.run("search contact phone 1390000", who, client, ["/customers/?q=1390000"], runs)
        pages = [f"/customers/{pk}/" for pk in (own if who == "rep" else everyone)]
        bench.run("customer page", who, client, pages, runs)
        bench.run("interactions list", who, client, ["/customers/interactions/"], runs)
        bench.run("interactions follow-up due", who, client, ["/customers/interactions/?follow_up_due=on"], runs)
        bench.run("visits list overdue", who, client, ["/customers/visits/?overdue=on"], runs)
        bench.run("my work (landing page)", who, client, ["/"], runs)
    exports = args.export_requests
    small = f"/customers/?grade=A&region={quote('广东')}&export=xlsx"
    bench.run("export ~2,000 customers", "manager", as_manager, [small], exports, export=True)
    for label, url in (("background export ~8,000 customers", "/customers/?grade=A&export=xlsx"),
                       ("background export, whole department", "/customers/?export=xlsx")):  # fmt: skip
        bench.background_export(label, as_manager, url)
    bench.report()


def main() -> None:
    args = parse_args()
    count = max(100, round(args.customers * args.scale))
    setup_django(args.database)
    from customers.models import Customer

    reps, manager, industries, products = people_and_reference_data()
    loaded = Customer.objects.filter(code__startswith="B").count()
    if args.keep and loaded == count:
        print(f"reusing the {loaded:,} customers already loaded (--keep)")
    else:
        print(f"loading {count:,} customers, {3 * count:,} contacts, {10 * count:,} interactions, "
              f"{12 * count:,} purchases, {2 * count:,} visits")  # fmt: skip
        load(count, reps, industries, products)
    measure(args, reps, manager)


if __name__ == "__main__":
    main()
