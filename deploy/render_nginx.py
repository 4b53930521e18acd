#!/usr/bin/env python3
"""Write the nginx site for the CRM from deploy/nginx/crm.conf.in (deploy/README.md).

    python3 deploy/render_nginx.py --server-name crm.example.com \\
        --upstream 10.0.0.11:8001 --upstream 10.0.0.12:8001 \\
        --cert /etc/ssl/crm/fullchain.pem --key /etc/ssl/crm/privkey.pem \\
        --output /etc/nginx/sites-available/crm

It copies crm-proxy.conf beside the site (or into --include-dir). No dependency but Python.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "nginx"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-name", required=True, help="the host name(s) users type")
    parser.add_argument("--upstream", action="append", required=True, help="host:port of a gunicorn (repeat)")
    parser.add_argument("--cert", required=True, help="TLS certificate chain (PEM)")
    parser.add_argument("--key", required=True, help="TLS private key (PEM)")
    parser.add_argument("--https-listen", default="443", help="what `listen` takes for HTTPS (default 443)")
    parser.add_argument("--http-listen", default="80", help="what `listen` takes for HTTP (default 80)")
    parser.add_argument("--https-port", default=None, help="the HTTPS port in redirects (default: from --https-listen)")
    parser.add_argument("--static-root", default="/srv/crm/staticfiles", help="STATIC_ROOT")
    parser.add_argument("--media-root", default="/srv/crm/media", help="MEDIA_ROOT")
    parser.add_argument("--max-body-mb", type=int, default=25, help="REQUEST_MAX_BODY_MB (default 25)")
    parser.add_argument("--access-log", default="/var/log/nginx/crm.access.log")
    parser.add_argument("--output", type=Path, help="the site file to write (default: standard output)")
    parser.add_argument("--include-dir", type=Path, help="where crm-proxy.conf goes (default: beside --output)")
    return parser.parse_args(argv)


def render(options: argparse.Namespace, include_dir: Path) -> str:
    upstreams = "\n".join(f"    server {address} max_fails=1 fail_timeout=10s;" for address in options.upstream)
    https_port = options.https_port or options.https_listen.rsplit(":", 1)[-1]
    values = {
        "UPSTREAM_SERVERS": upstreams,
        "SERVER_NAME": options.server_name,
        "HTTPS_LISTEN": options.https_listen,
        "HTTP_LISTEN": options.http_listen,
        "HTTPS_PORT": https_port,
        "TLS_CERTIFICATE": options.cert,
        "TLS_CERTIFICATE_KEY": options.key,
        "STATIC_ROOT": options.static_root.rstrip("/"),
        "MEDIA_ROOT": options.media_root.rstrip("/"),
        "MAX_BODY_MB": str(options.max_body_mb),
        "ACCESS_LOG": options.access_log,
        "INCLUDE_DIR": str(include_dir),
    }
    text = (HERE / "crm.conf.in").read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise SystemExit(f"unfilled placeholders: {leftover}")
    return text


def main(argv: list[str]) -> int:
    options = parse(argv)
    include_dir = options.include_dir or (options.output.parent if options.output else Path("/etc/nginx/snippets"))
    site = render(options, include_dir)
    if options.output:
        options.output.write_text(site)
        include_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / "crm-proxy.conf", include_dir / "crm-proxy.conf")
    else:
        sys.stdout.write(site)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
