"""A load test of the month's first working days (issue 16): locust against the whole stack.

    .venv/bin/python bench/load.py                          # load once, bring up the cluster, 60 s
    .venv/bin/python bench/load.py --duration 120 --users 226 --spawn-rate 20
    .venv/bin/python bench/load.py --url https://127.0.0.1:8443   # a stack already running
    .venv/bin/python bench/load.py --check                  # exit 1 on errors or a missed goal

In `crm_bench_load` (or --database) it loads, once, bench/customers.py's customers (100,000,
25 reps, their manager) and bench/statements.py's 200 fee reps with 100 customers each and
their 2026-09 statements; every run then puts those statements back where the morning of
2026-10-09 (the 2nd working day of October) finds them: six in ten drafts, two submitted, one
signed by the clerk, one by the manager. The users log in through the login form (password
demo1234, given to the bench users here) and work: the 200 reps open and recalculate their
statement, signers (a sales clerk, the sales manager, finance) open their queue and a statement
in it, bench/customers.py's reps and manager search the customer list, and a few small exports
run in the request (附表1, a customer list). See bench/locustfile.py for the mix.

The stack is scripts/cluster.py's (nginx, two gunicorn, workers, beats) under libfaketime, its
clock set to 2026-10-09 10:00 (Asia/Shanghai) at start-up, so every run sees the same "today"
and the same deadlines. Every user logs in first (PBKDF2: the costliest request); the figures
are those of the `--duration` seconds after the last log-in: requests/s, p50/p95/p99 per page,
errors, and the database connections of the bench database sampled from pg_stat_activity.
Goal (issue 16): >= 50 requests/s over the mix, p95 <= 300 ms, no errors.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, setup_django

MONTH = "2026-09-01"
TODAY = datetime(2026, 10, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FEE_REPS = 200
GOAL_RPS, GOAL_P95_MS = 50, 300


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds measured after every user logged in")
    parser.add_argument("--users", type=int, default=226, help="200 reps, 20 customer searchers, 6 signers")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--url", help="a stack already running (its clock is then its own); default: start one")
    parser.add_argument("--database", default="crm_bench_load")
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--scale", type=float, default=1.0, help="bench/customers.py's customers × this")
    parser.add_argument("--check", action="store_true", help="exit 1 when a request failed or the goal is missed")
    return parser.parse_args()


# --- the data ------------------------------------------------------------------------------


def prepare(args) -> dict:
    """Load what is missing, set the morning's state, and name who logs in as whom."""
    from dashboard import bench_module, people
    from django.contrib.auth.hashers import make_password
    from django.db import connection, connections

    from crm_project.accounts.demo import DEMO_PASSWORD
    from crm_project.accounts.models import User
    from crm_project.accounts.roles import Role
    from customers.models import Customer
    from expenses.models import Statement

    customers_bench, statements_bench = bench_module("customers"), bench_module("statements")
    count = round(100_000 * args.scale)
    statements = Statement.objects.filter(month=MONTH)
    if Customer.objects.filter(code__startswith="B").count() != count or statements.count() != FEE_REPS:
        reps, _manager, industries, products = customers_bench.people_and_reference_data()
        print(f"loading {count:,} customers (bench/customers.py) …")
        customers_bench.load(count, reps, industries, products)
        rep_ids, fee_products = statements_bench.people_and_standards(FEE_REPS)
        print(f"loading {FEE_REPS} fee reps × 100 customers and their 2026-09 statements (bench/statements.py) …")
        statements_bench.load(rep_ids, 100, fee_products, fresh=False)
        total, *_each = statements_bench.generate(rep_ids, profile=False)
        print(f"  statements generated in {total:.0f} s")
    signers = people()
    with connection.cursor() as cursor:
        open_the_month(cursor)
        # Every run starts alike: no sessions of the last one, and (this PostgreSQL has no
        # autovacuum) none of the dead rows its recalculations left in the statements' lines.
        cursor.execute("TRUNCATE django_session")
        cursor.execute("VACUUM ANALYZE expenses_statement, expenses_statementline, expenses_allocation")
    plan = {
        "reps": list(statements.order_by("rep__username").values_list("rep__username", "pk", "status")),
        "signers": [signers[Role.SALES_CLERK].username, "bench_manager", signers[Role.FINANCE].username,
                    "fees_finance"],
        "searchers": ["bench_manager", *(f"bench_rep{index:02d}" for index in range(1, 20))],
        "password": DEMO_PASSWORD,
    }  # fmt: skip
    names = {name for name, _pk, _status in plan["reps"]} | set(plan["signers"]) | set(plan["searchers"])
    # One hash for all (hashing 226 passwords would take a minute); the bench users had none.
    User.objects.filter(username__in=names).update(password=make_password(DEMO_PASSWORD))
    connections.close_all()
    return plan


def open_the_month(cursor) -> None:
    """The 2026-09 statements as the morning of 2026-10-09 finds them, whatever the last run
    did: by the rep's number six in ten drafts, then submitted (the clerk's queue), signed by the
    clerk (the manager's), signed by the manager (finance's)."""
    cursor.execute(
        """
        WITH numbered AS (
            SELECT s.id, mod(row_number() OVER (ORDER BY s.rep_id), 10) AS n,
                   timestamptz '2026-10-08 15:00+08' + s.id * interval '1 minute' AS at
            FROM expenses_statement s WHERE s.month = %s
        )
        UPDATE expenses_statement s SET
            status = (ARRAY['draft', 'draft', 'draft', 'draft', 'draft', 'draft',
                            'submitted', 'submitted', 'clerk_signed', 'manager_signed'])[n.n + 1],
            submitted_at = CASE WHEN n.n >= 6 THEN n.at END,
            first_submitted_at = CASE WHEN n.n >= 6 THEN n.at END,
            cycle = 1, late = false, late_by = NULL, valid_at = NULL
        FROM numbered n WHERE s.id = n.id
        """,
        [MONTH],
    )


# --- the run -------------------------------------------------------------------------------


def sample_connections(database: str, samples: list[tuple[int, int]], every: float = 0.5) -> None:
    """Connections to the bench database (all, and those running a query), twice a second."""
    import gevent
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        while True:
            samples.append(
                admin.execute(
                    "SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity "
                    "WHERE datname = %s",
                    [database],
                ).fetchone()
            )
            gevent.sleep(every)


def cpu_seconds(pids) -> dict[int, float]:
    """CPU seconds so far of these processes and all their children (the stack's tree)."""
    import psutil

    seconds = {}
    for pid in pids:
        try:
            root = psutil.Process(pid)
            for process in (root, *root.children(recursive=True)):
                times = process.cpu_times()
                seconds[process.pid] = times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return seconds


def backend_pids(database: str) -> list[int]:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        return [pid for (pid,) in admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])]


def machine_busy_seconds() -> float:
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - times.iowait


def run(args, plan: dict, url: str, stack_pids=()) -> dict:
    import gevent
    import locustfile
    from locust.env import Environment

    locustfile.PLAN.update(plan)
    env = Environment(user_classes=[locustfile.Rep, locustfile.Searcher, locustfile.Signer], host=url)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    started = time.monotonic()
    while locustfile.LOGINS["done"] < args.users and time.monotonic() - started < 600:
        gevent.sleep(0.5)
    print(f"{locustfile.LOGINS['done']} users logged in in {time.monotonic() - started:.0f} s; "
          f"measuring {args.duration} s …", flush=True)  # fmt: skip
    login = env.stats.get(locustfile.LOGIN, "POST")
    warm_up = {
        "logins": login.num_requests,
        "p50": login.get_response_time_percentile(0.5),
        "p95": login.get_response_time_percentile(0.95),
        "errors": [(error.name, error.error, error.occurrences) for error in env.stats.errors.values()],
    }
    env.stats.reset_all()
    samples: list[tuple[int, int]] = []
    sampler = gevent.spawn(sample_connections, args.database, samples)
    before = (time.process_time(), machine_busy_seconds(), cpu_seconds(stack_pids),
              cpu_seconds(backend_pids(args.database)))  # fmt: skip
    started = time.monotonic()
    gevent.sleep(args.duration)
    measured = time.monotonic() - started
    after = (time.process_time(), machine_busy_seconds(), cpu_seconds(stack_pids),
             cpu_seconds(backend_pids(args.database)))  # fmt: skip

    def used(index: int) -> float:
        return sum(seconds - before[index].get(pid, 0.0) for pid, seconds in after[index].items()) / measured

    cpu = {"locust": (after[0] - before[0]) / measured, "machine": (after[1] - before[1]) / measured,
           "stack": used(2), "database": used(3)}  # fmt: skip
    sampler.kill()
    entries = sorted(env.stats.entries.values(), key=lambda entry: entry.name)
    result = {"entries": entries, "total": env.stats.total, "errors": list(env.stats.errors.values()),
              "seconds": measured, "samples": samples, "warm_up": warm_up, "cpu": cpu}  # fmt: skip
    runner.quit()
    return result


def report(args, result: dict) -> bool:
    total, seconds = result["total"], result["seconds"]
    print("\n| page | requests | req/s | p50 ms | p95 ms | p99 ms | failures |\n|---|---:|---:|---:|---:|---:|---:|")
    for entry in [*(entry for entry in result["entries"] if entry.num_requests), total]:
        print(f"| {entry.name} | {entry.num_requests} | {entry.num_requests / seconds:.1f} | "
              f"{entry.get_response_time_percentile(0.5):.0f} | {entry.get_response_time_percentile(0.95):.0f} | "
              f"{entry.get_response_time_percentile(0.99):.0f} | {entry.num_failures} |")  # fmt: skip
    warm_up = result["warm_up"]
    print(f"\nlog-in (before the measure): {warm_up['logins']} log-ins, p50 {warm_up['p50']:.0f} ms, "
          f"p95 {warm_up['p95']:.0f} ms")  # fmt: skip
    errors = [(error.name, error.error, error.occurrences) for error in result["errors"]] + warm_up["errors"]
    for name, error, occurrences in errors:
        print(f"  error ×{occurrences} {name}: {error}")
    samples = result["samples"] or [(0, 0)]
    print(f"database connections to {args.database}: max {max(s[0] for s in samples)}, "
          f"mean {sum(s[0] for s in samples) / len(samples):.1f}; running a query: max "
          f"{max(s[1] for s in samples)}, mean {sum(s[1] for s in samples) / len(samples):.1f} "
          f"({len(samples)} samples)")  # fmt: skip
    cpu = result["cpu"]
    elsewhere = cpu["machine"] - cpu["stack"] - cpu["database"] - cpu["locust"]
    print(f"CPU (cores of {os.cpu_count()}, over the measure): the machine {cpu['machine']:.2f} busy, the stack's "
          f"processes {cpu['stack']:.2f}, its PostgreSQL connections {cpu['database']:.2f}, locust "
          f"{cpu['locust']:.2f}, anything else {elsewhere:.2f}")  # fmt: skip
    rps, p95 = total.num_requests / seconds, total.get_response_time_percentile(0.95)
    met = rps >= GOAL_RPS and p95 <= GOAL_P95_MS and not errors
    print(f"{total.num_requests} requests in {seconds:.0f} s: {rps:.1f} req/s, p95 {p95:.0f} ms, "
          f"{sum(occurrences for _n, _e, occurrences in errors)} errors; goal (>= {GOAL_RPS} req/s, "
          f"p95 <= {GOAL_P95_MS} ms, no errors) {'met' if met else 'MISSED'}; "
          f"{args.users} users, one locust process")  # fmt: skip
    return met


def main() -> None:
    args = parse_args()
    import locust  # noqa: F401  (first: gevent patches the standard library before Django loads)

    setup_django(args.database)
    plan = prepare(args)
    if args.url:
        met = report(args, run(args, plan, args.url))
    else:
        sys.path.insert(0, str(ROOT))
        from scripts.cluster import Cluster

        offset = round(TODAY.timestamp() - time.time())
        with tempfile.TemporaryDirectory(prefix="crm-load-") as workdir:
            cluster = Cluster(workdir=Path(workdir), database=args.database, faketime=f"{offset:+d}s",
                              redis_url=f"redis://127.0.0.1:6379/{args.redis_db}")  # fmt: skip
            cluster.manage("collectstatic", "--noinput", "--verbosity", "0")
            with cluster:
                cluster.up()
                print(f"cluster up at {cluster.url}, its clock at {TODAY:%Y-%m-%d %H:%M %Z}", flush=True)
                pids = [process.pid for process in cluster.processes.values()]
                met = report(args, run(args, plan, cluster.url, pids))
    if args.check and not met:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
