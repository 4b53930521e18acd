"""Say plainly whether PostgreSQL and Redis answer, and create the database if it is missing.

Used by `make run` and `make test` before anything else; exits 1 with instructions when a
service is down. Reads DATABASE_URL and REDIS_URL like the settings do.
"""

import os
import sys

import dj_database_url
import psycopg
import redis

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)


def check_postgres() -> bool:
    config = dj_database_url.parse(DATABASE_URL)
    params = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
        "connect_timeout": 3,
    }
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{config["NAME"]}"')
                print(f"Created database {config['NAME']}.")
    except psycopg.OperationalError as error:
        print(f"PostgreSQL does not answer at {params['host']}:{params['port']} ({error}).")
        print(f"Start it, e.g.:  {START_POSTGRES}")
        print("or point DATABASE_URL at a running server.")
        return False
    return True


def check_redis() -> bool:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.exceptions.RedisError as error:
        print(f"Redis does not answer at {REDIS_URL} ({error}).")
        print(f"Start it, e.g.:  {START_REDIS}")
        print("or point REDIS_URL at a running server.")
        return False
    return True


if __name__ == "__main__":
    ok = check_postgres()
    ok = check_redis() and ok
    sys.exit(0 if ok else 1)
