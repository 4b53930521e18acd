"""Several web and worker processes as one system, on one machine (issue 16).

Starts on 127.0.0.1, as deploy/README.md deploys them: nginx (Debian's) with the site that
deploy/render_nginx.py writes, in front of two gunicorn instances (deploy/gunicorn.conf.py),
two Celery workers on different queues and two beats, all against one PostgreSQL database and
one Redis; and stops them. Used by scripts/cluster_smoke.py and bench/load.py:

    cluster = Cluster(workdir=Path("/tmp/c"), database="crm_smoke", faketime="+3600s")
    cluster.manage("migrate")
    cluster.up()            # returns once nginx and every process answer
    cluster.url             # https://127.0.0.1:<port> (a self-signed certificate)
    cluster.kill("web1"); cluster.start("worker-mail")
    cluster.down()

Or by hand: `python scripts/cluster.py --database crm` (Ctrl-C stops everything).
"""

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"

TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
# The workers as the guide runs them: reminders and escalations never queue behind mail or imports.
WORKER_QUEUES = {"worker-reminders": "reminders,default", "worker-mail": "mail,bulk"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _insecure_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=_insecure_context()) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


@dataclass
class Cluster:
    workdir: Path
    database: str
    redis_url: str = "redis://127.0.0.1:6379/0"
    env: dict[str, str] = field(default_factory=dict)
    # A libfaketime offset ("+3600s") for every Python process: the clock the jobs and pages see.
    faketime: str | None = None
    web_processes: int = 2
    web_threads: int = 4
    worker_concurrency: int = 2
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self):
        self.workdir = Path(self.workdir).resolve()
        self.https_port, self.http_port = free_port(), free_port()
        self.web_ports = {"web1": free_port(), "web2": free_port()}
        self.namespace = f"cluster-{secrets.token_hex(4)}"
        self.url = f"https://127.0.0.1:{self.https_port}"
        for folder in ("logs", "media", "static", "mail", "nginx/tmp", "tls", "prometheus"):
            (self.workdir / folder).mkdir(parents=True, exist_ok=True)

    # --- the environment every process shares (deploy/crm.env.example) ----------------------------

    def environment(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_ENV": "production",
            "SECRET_KEY": self.env.get("SECRET_KEY") or f"cluster-{self.namespace}-" + "k" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.url,
            "CSRF_TRUSTED_ORIGINS": self.url,
            "TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.database}",
            "REDIS_URL": self.redis_url,
            "REDIS_NAMESPACE": self.namespace,
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "FILE_DELIVERY": "nginx",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.workdir / "mail"),
            "LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
            "TZ": "Asia/Shanghai",
            **self.env,
            **extra,
        }

    def _command(self, argv: list[str]) -> list[str]:
        return (["faketime", "-f", self.faketime] if self.faketime else []) + argv

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """`manage.py` with the cluster's settings and clock (migrate, collectstatic, seed_demo …)."""
        return subprocess.run(
            self._command([str(BIN / "python"), "manage.py", *args]),
            cwd=ROOT,
            env=self.environment(),
            check=check,
            capture_output=True,
            text=True,
        )

    # --- the processes ------------------------------------------------------------------------------

    def _argv(self, name: str) -> tuple[list[str], dict[str, str]]:
        if name in self.web_ports:
            metrics = self.workdir / "prometheus" / name
            shutil.rmtree(metrics, ignore_errors=True)
            metrics.mkdir(parents=True)
            return [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "crm_project.wsgi"], {
                "GUNICORN_BIND": f"127.0.0.1:{self.web_ports[name]}",
                "GUNICORN_PROC_NAME": f"crm-{name}",
                "WEB_CONCURRENCY": str(self.web_processes),
                "GUNICORN_THREADS": str(self.web_threads),
                "DB_POOL_MAX_SIZE": str(self.web_threads),
                "PROMETHEUS_MULTIPROC_DIR": str(metrics),
            }
        if name in WORKER_QUEUES:
            queues = WORKER_QUEUES[name]
            return [
                str(BIN / "celery"), "-A", "crm_project", "worker", "-Q", queues, "-n", f"{name}@127.0.0.1",
                "--concurrency", str(self.worker_concurrency), "--loglevel", "INFO", "--without-mingle",
                "--without-gossip",
            ], {}  # fmt: skip
        if name.startswith("beat"):
            return [
                str(BIN / "celery"), "-A", "crm_project", "beat", "--loglevel", "INFO",
                "--schedule", str(self.workdir / f"{name}-schedule"),
            ], {}  # fmt: skip
        raise KeyError(name)

    def start(self, name: str) -> None:
        argv, extra = self._argv(name)
        log = (self.workdir / "logs" / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            self._command(argv),
            cwd=ROOT,
            env=self.environment(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: kill() takes the master and its children
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a process and everything it started, as a crash would (SIGKILL by default)."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def log(self, name: str) -> str:
        return (self.workdir / "logs" / f"{name}.log").read_text(errors="replace")

    # --- nginx ------------------------------------------------------------------------------------------

    def _tls(self) -> tuple[Path, Path]:
        cert, key = self.workdir / "tls" / "cert.pem", self.workdir / "tls" / "key.pem"
        if not cert.exists():
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                check=True, capture_output=True,
            )  # fmt: skip
        return cert, key

    def _nginx_config(self) -> Path:
        cert, key = self._tls()
        folder = self.workdir / "nginx"
        subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "render_nginx.py"), "--server-name", "127.0.0.1 localhost",
             *[argument for port in self.web_ports.values() for argument in ("--upstream", f"127.0.0.1:{port}")],
             "--cert", str(cert), "--key", str(key),
             "--https-listen", f"127.0.0.1:{self.https_port}", "--http-listen", f"127.0.0.1:{self.http_port}",
             "--static-root", str(self.workdir / "static"), "--media-root", str(self.workdir / "media"),
             "--access-log", str(self.workdir / "logs" / "nginx-access.log"),
             "--output", str(folder / "crm.conf")],
            check=True,
        )  # fmt: skip
        temp = folder / "tmp"
        user = "user root root;\n" if os.geteuid() == 0 else ""
        main = folder / "nginx.conf"
        main.write_text(
            f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {self.workdir / 'logs' / 'nginx-error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            "    sendfile on;\n"
            + "".join(f"    {kind}_temp_path {temp / kind};\n" for kind in TEMP_PATHS)
            + f"    include {folder / 'crm.conf'};\n}}\n"
        )  # fmt: skip
        return main

    def _start_nginx(self) -> None:
        config = self._nginx_config()
        log = (self.workdir / "logs" / "nginx.log").open("ab")
        self.processes["nginx"] = subprocess.Popen(
            ["nginx", "-c", str(config), "-g", "daemon off;"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

    # --- all of it ----------------------------------------------------------------------------------------

    NAMES = ("web1", "web2", *WORKER_QUEUES, "beat1", "beat2")

    def up(self, timeout: float = 90) -> None:
        for name in self.NAMES:
            self.start(name)
        self._start_nginx()
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 90, names: tuple[str, ...] | None = None) -> None:
        deadline = time.monotonic() + timeout
        waiting = set(names or (*self.NAMES, "nginx"))
        while waiting and time.monotonic() < deadline:
            for name in list(waiting):
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}")
                if self._ready(name):
                    waiting.discard(name)
            time.sleep(0.5)
        if waiting:
            raise RuntimeError(f"not ready after {timeout:.0f} s: {sorted(waiting)}")

    def _ready(self, name: str) -> bool:
        if name in self.web_ports:
            return answers(f"http://127.0.0.1:{self.web_ports[name]}/healthz")
        if name == "nginx":
            return answers(f"{self.url}/healthz")
        if name in WORKER_QUEUES:
            return " ready." in self.log(name)
        return "beat: Starting" in self.log(name) or "Starting..." in self.log(name)

    def down(self) -> None:
        """SIGTERM to everything (a warm shutdown for Celery), SIGKILL to what is left after 20 s."""
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.down()


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the cluster of scripts/cluster.py until Ctrl-C.")
    parser.add_argument("--database", default="crm")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "cluster")
    options = parser.parse_args()
    cluster = Cluster(workdir=options.workdir, database=options.database, redis_url=options.redis_url)
    cluster.manage("migrate", "--noinput")
    cluster.manage("collectstatic", "--noinput", "--verbosity", "0")
    # SIGTERM (a background job's stop, `kill`) stops everything as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with cluster:
        cluster.up()
        print(f"nginx on {cluster.url} (self-signed); logs in {cluster.workdir / 'logs'}. Ctrl-C stops it all.")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
