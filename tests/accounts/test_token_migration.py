"""Tokens of rest_framework.authtoken, from before tokens expired, survive the switch hashed (ORG-02)."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from crm_project.accounts.models import ApiToken

MIGRATION = ("accounts", "0002_api_tokens")
LEGACY_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db
def test_legacy_tokens_keep_working_hashed_and_the_plain_table_is_dropped(client, rep, settings):
    """Run inside the test's transaction: PostgreSQL rolls the DDL back, so the schema is
    today's again afterwards without migrating every app forward again."""
    settings.API_TOKEN_TTL_DAYS = 30
    executor = _executor()
    before = sorted(parent.key for parent in executor.loader.graph.node_map[MIGRATION].parents)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixtures' rows: no pending checks while tables go
    executor.migrate(before)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz NOT NULL,"
            " user_id bigint NOT NULL)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [LEGACY_KEY, rep.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks while tables change
    forward = _executor()
    forward.migrate(forward.loader.graph.leaf_nodes("accounts"))  # the users' later columns too

    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=rep)
    assert token.key_hash == hashlib.sha256(LEGACY_KEY.encode()).hexdigest()
    assert (token.expires_at - token.created_at).days >= 29
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {LEGACY_KEY}")
    assert me.status_code == 200
    assert me.json()["username"] == "rep"
