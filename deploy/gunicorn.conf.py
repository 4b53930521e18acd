"""gunicorn's configuration for production (deploy/README.md) and scripts/cluster_smoke.sh.

Every value can be set from the environment file, so one file serves every machine:
GUNICORN_BIND, WEB_CONCURRENCY (processes), GUNICORN_THREADS (threads per process; each
thread may hold one pooled database connection, so DB_POOL_MAX_SIZE follows it),
GUNICORN_TIMEOUT.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads overlap one request's database wait with another's work.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Each process opens its own connection pool after the fork, never shares one.
preload_app = False
# nginx buffers slow clients and gives up on the upstream after 60 s (proxy_read_timeout).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 75  # longer than nginx's upstream keepalive_timeout (60 s), so nginx closes first
# A process is replaced after this many requests (a slow leak never grows for ever).
max_requests = 2000
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
# The request id nginx gave the request ties the access line to the application's log lines.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}i)s'
proc_name = os.environ.get("GUNICORN_PROC_NAME", "crm-web")
# gunicorn's control socket sits in the user's home, one per user: several instances would share it.
control_socket_disable = True


def on_starting(server):
    """A multiprocess metrics folder starts empty: samples of a previous run's processes would count."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """Forget a finished process's Prometheus samples (PROMETHEUS_MULTIPROC_DIR)."""
    from crm_project.core.observability.metrics import child_exit as forget_metrics

    forget_metrics(server, worker)
