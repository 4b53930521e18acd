"""The customer pages over HTTP: gunicorn in production settings, a session cookie, the network.

    .venv/bin/python bench/customers.py                  # load the data first (crm_bench)
    .venv/bin/python bench/over_http.py                       # then time it over HTTP
    .venv/bin/python bench/over_http.py --workers 2 --concurrency 8 --requests 40

It serves the database bench/customers.py loaded with gunicorn (`--workers` sync workers, as
the Procfile runs it) under DJANGO_ENV=production — DEBUG off, the hashed static files, the
production middleware — on 127.0.0.1 without TLS (SECURE_SSL_REDIRECT=false: nothing listens
for HTTPS here). It logs the bench rep and the bench manager in by creating their sessions and
sends each page as a browser would, with the session cookie: first sequentially (p50/p95 per
page: server time plus loopback), then from `--concurrency` connections at once (requests per
second and p95 under load). So figures can be set beside another system's measured the same
way: same machine, same data, same pages, same number of workers.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, percentile

PAGES = [
    ("customer list grade=A&status=active", "/customers/?grade=A&status=active"),
    ("search 华盛 (2 chars)", f"/customers/?q={quote('华盛')}"),
    ("search 深圳华盛 (4 chars)", f"/customers/?q={quote('深圳华盛')}"),
    ("search contact phone 1390000", "/customers/?q=1390000"),
    ("customer page", "/customers/{customer}/"),
    ("interactions follow-up due", "/customers/interactions/?follow_up_due=on"),
    ("visits list overdue", "/customers/visits/?overdue=on"),
    ("my work (landing page)", "/"),
    ("picker 2 chars 宏达", f"/pickers/customers/?q={quote('宏达')}"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="crm_bench")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--requests", type=int, default=40, help="sequential requests per page and user")
    parser.add_argument("--concurrency", type=int, default=8, help="connections at once in the load phase")
    parser.add_argument("--load-requests", type=int, default=240, help="requests per page in the load phase")
    return parser.parse_args()


def environment(args) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm_project.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "CACHE_KEY_PREFIX": f"{args.database}-",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
    }


def sessions(env: dict[str, str]) -> tuple[dict[str, str], dict[str, int]]:
    """A session per bench user (as a login would make), and the customers to open."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from crm_project.accounts.models import User
    from customers.selectors import customer_visible_to

    cookies, customers = {}, {}
    for who, username in (("rep", "bench_rep01"), ("manager", "bench_manager")):
        user = User.objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        # The backend that logs users in (django-axes' comes first but only guards log-ins).
        session[BACKEND_SESSION_KEY] = next(path for path in settings.AUTHENTICATION_BACKENDS if "axes" not in path)
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[who] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        customers[who] = customer_visible_to(user).order_by("pk").values_list("pk", flat=True).first()
    return cookies, customers


def serve(args, env) -> subprocess.Popen:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, with our own arguments)
        [str(Path(sys.executable).parent / "gunicorn"), "crm_project.wsgi", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz")


def fetch(url: str, cookie: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Language": "zh-hans"})  # noqa: S310
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own server)
        response.read()
        if response.status != 200 or response.url != url:
            raise RuntimeError(f"{url}: {response.status} → {response.url}")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    args = parse_args()
    env = environment(args)
    cookies, customers = sessions(env)
    server = serve(args, env)
    base = f"http://127.0.0.1:{args.port}"
    rows = []
    try:
        for who in ("rep", "manager"):
            for label, path in PAGES:
                url = base + path.format(customer=customers[who])
                fetch(url, cookies[who])  # warm-up
                timings = [fetch(url, cookies[who]) for _index in range(args.requests)]
                with ThreadPoolExecutor(args.concurrency) as pool:
                    started = time.perf_counter()
                    loaded = list(pool.map(fetch, [url] * args.load_requests, [cookies[who]] * args.load_requests))
                    elapsed = time.perf_counter() - started
                row = (label, who, statistics.median(timings), percentile(timings, 0.95),
                       args.load_requests / elapsed, percentile(loaded, 0.95))  # fmt: skip
                rows.append(row)
                print(f"  {label:<36} {who:<8} p50 {row[2]:6.1f} ms  p95 {row[3]:6.1f} ms   "
                      f"×{args.concurrency}: {row[4]:6.1f} req/s, p95 {row[5]:6.1f} ms", flush=True)  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"\ngunicorn, {args.workers} sync workers, production settings; {args.requests} sequential requests, "
          f"then {args.load_requests} from {args.concurrency} connections at once, per page and user")  # fmt: skip
    print(f"| page | as | p50 ms | p95 ms | req/s ×{args.concurrency} | p95 ms ×{args.concurrency} |")
    print("|---|---|---:|---:|---:|---:|")
    for label, who, p50, p95, rate, loaded_p95 in rows:
        print(f"| {label} | {who} | {p50:.1f} | {p95:.1f} | {rate:.1f} | {loaded_p95:.1f} |")


if __name__ == "__main__":
    main()
