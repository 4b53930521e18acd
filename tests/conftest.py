"""Role fixtures (STYLE: every feature is tested against someone who must not see it)."""

import uuid

import pytest
from django.test import Client
from django.utils import translation

from crm_project import celery_app
from crm_project.accounts.roles import Role
from crm_project.core.observability.request_id import request_id, task
from tests.factories import DepartmentFactory, UserFactory
from tests.redis_server import RedisServer, forget_broker_connections, free_port, point_broker_at, point_cache_at


@pytest.fixture(autouse=True)
def _run_jobs_inline(settings):
    # Jobs run in-process so a test sees their effects; the broker itself is not under test.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.AXES_ENABLED = True
    # Each test counts its requests against the rate limits in its own keys of the shared Redis.
    settings.RATELIMIT_CACHE_PREFIX = f"test-rl:{uuid.uuid4().hex}:"
    # Hashing a password properly takes half a second; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The product's default language is Chinese; tests read the English source messages, so
    # they run in English unless a test switches (pages follow the test user's language).
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def sales(db, request):
    department = DepartmentFactory(code="sales", name_zh="销售部", name_en="Sales")
    if not request.node.get_closest_marker("no_fee_budget"):
        give_rapport_fee_budgets(department)
    return department


def give_rapport_fee_budgets(department):
    """Payouts are spending of the department's rapport-fee budget (EXP-16): the fee tests'
    Sales department has an ample approved one every year they may run in."""
    from expenses.categories import ensure_categories
    from expenses.models import Budget, BudgetStatus, ExpenseCategory

    ensure_categories(ExpenseCategory)  # a transactional test before this one flushed the seeded rows
    category = ExpenseCategory.objects.get(code=ExpenseCategory.RAPPORT_FEES)
    Budget.objects.bulk_create(
        Budget(year=year, department=department, category=category, amount=10**9, status=BudgetStatus.APPROVED)
        for year in range(2000, 2101)
    )


@pytest.fixture
def finance_department(db):
    return DepartmentFactory(code="finance", name_zh="财务部", name_en="Finance")


@pytest.fixture
def operations(db):
    return DepartmentFactory(code="operations", name_zh="营运部", name_en="Operations")


@pytest.fixture
def rep(sales):
    return UserFactory(username="rep", department=sales, roles=[Role.SALES_REP])


@pytest.fixture
def other_rep(sales):
    return UserFactory(username="other_rep", department=sales, roles=[Role.SALES_REP])


@pytest.fixture
def clerk(sales):
    return UserFactory(username="clerk", department=sales, roles=[Role.SALES_CLERK])


@pytest.fixture
def manager(sales):
    return UserFactory(username="manager", department=sales, roles=[Role.SALES_MANAGER])


@pytest.fixture
def director(sales):
    return UserFactory(username="director", department=sales, roles=[Role.SALES_DIRECTOR])


@pytest.fixture
def finance(finance_department):
    return UserFactory(username="finance", department=finance_department, roles=[Role.FINANCE])


@pytest.fixture
def gm(db):
    department = DepartmentFactory(code="management", name_zh="总经理室", name_en="Management")
    return UserFactory(username="gm", department=department, roles=[Role.MANAGEMENT])


@pytest.fixture
def outsider(operations):
    """Someone from another department, with a role that has nothing to do with sales."""
    return UserFactory(username="outsider", department=operations, roles=[Role.OPERATIONS])


@pytest.fixture
def no_role(sales):
    return UserFactory(username="norole", department=sales)


@pytest.fixture
def it_department(db):
    return DepartmentFactory(code="it", name_zh="信息部", name_en="IT")


@pytest.fixture
def administrator(it_department):
    return UserFactory(
        username="itadmin", department=it_department, roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True
    )


@pytest.fixture
def erp(it_department):
    """The ERP's integration user (EXP-04): feeds purchases and products through the API."""
    return UserFactory(username="erp1", department=it_department, roles=[Role.INTEGRATION])


@pytest.fixture
def client_for(db):
    """`client_for(user)`: a new test client logged in as that user."""

    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def own_redis(settings):
    """A Redis of this test's own, with the cache and the Celery broker on it and jobs really
    queued (not run inline). `own_redis.stop()` / `.start()` take it away and bring it back."""
    server = RedisServer().start()
    broker_url = celery_app.conf.broker_url
    point_cache_at(settings, server.url)
    point_broker_at(server.url)
    try:
        yield server
    finally:
        server.stop()
        celery_app.conf.broker_url = broker_url
        forget_broker_connections()


@pytest.fixture
def redis_down(settings):
    """The cache and the broker on a port where no Redis listens, jobs really queued."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    broker_url = celery_app.conf.broker_url
    point_cache_at(settings, url)
    point_broker_at(url)
    yield url
    celery_app.conf.broker_url = broker_url
    forget_broker_connections()


@pytest.fixture(autouse=True)
def _forget_the_request_id():
    """A streamed response a test never closes keeps its request id set (a server always closes
    it): the next test must not log under it."""
    yield
    request_id.set(None)
    task.set(None)
