"""Demo departments and one user per role (password demo1234)."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Department, User
from .roles import Role

DEMO_PASSWORD = "demo1234"  # noqa: S105 (documented demo password)

DEPARTMENTS = [
    ("sales", "销售部", "Sales"),
    ("finance", "财务部", "Finance"),
    ("operations", "营运部", "Operations"),
    ("engineering", "工程部", "Engineering"),
    ("procurement", "资材部", "Procurement"),
    ("technical", "技术部", "Technical"),
    ("design", "设计部", "Design"),
    ("quality", "质量部", "Quality"),
    ("safety", "安全部", "Safety"),
    ("customer-service", "客服部", "Customer Service"),
    ("management", "总经理室", "General Management"),
    ("it", "信息部", "IT"),
]

# username, last name, first name, department, roles
USERS = [
    ("admin", "管", "理员", "it", [Role.ADMINISTRATOR]),
    ("gm1", "王", "总", "management", [Role.MANAGEMENT]),
    ("rep1", "李", "明", "sales", [Role.SALES_REP]),
    ("rep2", "张", "伟", "sales", [Role.SALES_REP]),
    ("clerk1", "陈", "静", "sales", [Role.SALES_CLERK]),
    ("manager1", "刘", "强", "sales", [Role.SALES_MANAGER]),
    ("director1", "赵", "磊", "sales", [Role.SALES_DIRECTOR]),
    ("finance1", "孙", "丽", "finance", [Role.FINANCE]),
    ("ops1", "周", "杰", "operations", [Role.OPERATIONS]),
    # The tenant service desk (TEN-01 … TEN-04): the operations manager heads Operations, and
    # Engineering handles repairs and emergencies.
    ("opsmanager1", "黄", "经理", "operations", [Role.OPERATIONS]),
    ("eng1", "徐", "工", "engineering", [Role.SPECIALIST]),
    ("procure1", "吴", "芳", "procurement", [Role.PROCUREMENT]),
    ("procurehead1", "冯", "刚", "procurement", [Role.PURCHASING_HEAD]),
    # Staff of the departments on a supplier's on-site survey (SUP-04); quality1 also heads
    # Quality, which investigates complaints.
    ("tech1", "何", "工", "technical", [Role.SPECIALIST]),
    ("design1", "林", "设", "design", [Role.SPECIALIST]),
    ("quality1", "钱", "质", "quality", [Role.SPECIALIST]),
    ("service1", "郑", "敏", "customer-service", [Role.CUSTOMER_SERVICE]),
    # The ERP's account: it feeds purchases and the product master through the API (EXP-04).
    ("erp1", "系统", "集成", "it", [Role.INTEGRATION]),
]

DEPARTMENT_HEADS = {
    "sales": "manager1",
    "finance": "finance1",
    "operations": "opsmanager1",
    "engineering": "eng1",
    "management": "gm1",
    "procurement": "procurehead1",
    "technical": "tech1",
    "design": "design1",
    "quality": "quality1",
    "customer-service": "service1",
}

# Who approves whose expense applications (EXP-17); set in the admin in real life.
SUPERIORS = {
    "rep1": "manager1", "rep2": "manager1", "clerk1": "manager1", "manager1": "director1", "director1": "gm1",
    "ops1": "opsmanager1", "opsmanager1": "gm1", "service1": "gm1", "finance1": "gm1",
}  # fmt: skip


@transaction.atomic
def seed(stdout=None) -> None:
    departments = {}
    for code, name_zh, name_en in DEPARTMENTS:
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en}
        )
    for username, last_name, first_name, department, roles in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.last_name, user.first_name = last_name, first_name
        user.email = f"{username}@example.com"
        user.department = departments[department]
        user.is_staff = username == "admin"
        user.is_superuser = username == "admin"
        user.save()
        user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    for code, username in DEPARTMENT_HEADS.items():
        department = departments[code]
        department.head = User.objects.get(username=username)
        department.save(update_fields=["head"])
    for username, superior in SUPERIORS.items():
        User.objects.filter(username=username).update(superior=User.objects.get(username=superior))
    if stdout:
        stdout.write(f"  {len(DEPARTMENTS)} departments, {len(USERS)} users (password {DEMO_PASSWORD})")
