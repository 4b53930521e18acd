"""The PostgreSQL side of backups: which database, which client tools, and counting rows."""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from psycopg import sql


class BackupError(Exception):
    """A backup or restore cannot go on; the message tells the operator why and what to do."""


@dataclass(frozen=True)
class Database:
    name: str
    host: str
    port: int
    user: str
    password: str
    sslmode: str = ""

    @classmethod
    def from_settings(cls, config: dict) -> "Database":
        """From a Django DATABASES entry (the running one: under pytest, the test database)."""
        return cls(
            name=config["NAME"],
            host=config.get("HOST") or "127.0.0.1",
            port=int(config.get("PORT") or 5432),
            user=config.get("USER") or "postgres",
            password=config.get("PASSWORD") or "",
            sslmode=(config.get("OPTIONS") or {}).get("sslmode", ""),
        )

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls.from_settings(dj_database_url.parse(url))

    @classmethod
    def default(cls) -> "Database":
        from django.db import connections

        return cls.from_settings(connections["default"].settings_dict)

    def connect(self, *, dbname: str | None = None, autocommit: bool = True) -> psycopg.Connection:
        return psycopg.connect(
            dbname=dbname or self.name,
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            sslmode=self.sslmode or None,
            autocommit=autocommit,
            connect_timeout=10,
        )

    def libpq_env(self) -> dict[str, str]:
        """The client tools read the connection from the environment: no password in `ps`."""
        env = {**os.environ, "PGHOST": self.host, "PGPORT": str(self.port), "PGUSER": self.user}
        env["PGDATABASE"] = self.name
        if self.password:
            env["PGPASSWORD"] = self.password
        if self.sslmode:
            env["PGSSLMODE"] = self.sslmode
        return env

    def describe(self) -> str:
        return f"{self.name} on {self.host}:{self.port}"


def server_major(connection: psycopg.Connection) -> int:
    return connection.info.server_version // 10000


def _tool_major(path: str) -> int | None:
    try:
        output = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(found.group(1)) if found else None


def tool(name: str, major: int) -> str:
    """`pg_dump` or `pg_restore` of at least the server's major version (an older one refuses a
    newer server or archive). PG_BIN_DIR first, then Debian's per-version folder, then PATH."""
    candidates = []
    if settings.PG_BIN_DIR:
        candidates.append(str(Path(settings.PG_BIN_DIR) / name))
    candidates.append(f"/usr/lib/postgresql/{major}/bin/{name}")
    if found := shutil.which(name):
        candidates.append(found)
    seen = []
    for candidate in candidates:
        if not Path(candidate).is_file():
            continue
        version = _tool_major(candidate)
        seen.append(f"{candidate} ({version})")
        if version is not None and version >= major:
            return candidate
    raise BackupError(
        f"No {name} of PostgreSQL {major} or newer was found (tried: {', '.join(seen) or 'none'}). "
        f"Install the PostgreSQL {major} client tools or set PG_BIN_DIR to their folder."
    )


def tables(connection: psycopg.Connection) -> list[tuple[str, str]]:
    """Every ordinary table outside PostgreSQL's own schemas, as (schema, name)."""
    return connection.execute(
        """
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1, 2
        """
    ).fetchall()


def table_counts(connection: psycopg.Connection) -> dict[str, int]:
    """Exact rows per table, `schema.table` → count, in the connection's current snapshot."""
    counts = {}
    for schema, name in tables(connection):
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(name))
        counts[f"{schema}.{name}"] = connection.execute(query).fetchone()[0]
    return counts
