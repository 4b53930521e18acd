# ruff: noqa: S608  (the SQL below is built from this file's own constants, never from input)
"""Tenant requests at scale (TEN-02, TEN-03), loaded on the server with INSERT … SELECT over
generate_series, for bench/dashboard.py:

    rows = load_tenant_requests(cursor, 100_000)

Django must be set up (bench/common.py `setup_django`). It makes the bench's shops (units
"BT-00001" …, one per 150 requests, at least 50) if there are not enough, replaces the requests
an earlier load gave them, and inserts `count` requests spread evenly over the last 24 months:
categories as a desk sees them (repairs the most, then inquiries, suggestions, complaints,
emergencies), the response and resolution targets of TEN-03 (settings.TENANT_RESPONSE_STANDARDS
at their defaults; five working days taken as seven calendar days), assigned to Engineering,
Operations or Safety as the desk would, most of them resolved and confirmed, about one in
twelve answered late and one in eight resolved late. The requests of the last three days are
at every stage, so the desk and the dashboard have open ones, some of them past a target.
References come from the application's own sequence (TR-<year>-<n>).
"""

from common import insert_select

REQUESTS_PER_TENANT = 150
MIN_TENANTS = 50
SHOPS = ["咖啡", "火锅", "服装", "珠宝", "数码", "书店", "母婴", "眼镜", "潮玩", "超市", "美妆", "运动"]
TEXTS = {
    "emergency": ["后厨水管爆裂，地面积水", "店内烟感报警器误报", "配电箱冒烟，已断电"],
    "repair": ["空调不制冷", "橱窗射灯不亮", "卷帘门卡住", "洗手池漏水", "地砖松动"],
    "complaint": ["隔壁装修噪音影响营业", "停车收费与约定不符", "公共区域卫生差"],
    "inquiry": ["咨询促销活动报名方式", "咨询夜间送货通道开放时间", "咨询物业费缴纳方式"],
    "suggestion": ["建议增加中庭休息座椅", "建议延长周末营业时间", "建议增加指示牌"],
}
# (category, share of the requests up to it, time to respond, time to resolve; NULL: no target)
CATEGORIES = [
    ("emergency", 0.08, "interval '15 minutes'", "interval '4 hours'"),
    ("repair", 0.55, "interval '2 hours'", "interval '48 hours'"),
    ("complaint", 0.67, "interval '24 hours'", "interval '7 days'"),
    ("inquiry", 0.87, "interval '24 hours'", "NULL::interval"),
    ("suggestion", 1.00, "NULL::interval", "NULL::interval"),
]
STAGES = "(ARRAY['logged', 'assigned', 'responded', 'resolved', 'confirmed'])"


def _text(values: list[str]) -> str:
    return "(ARRAY[" + ",".join(f"'{value}'" for value in values) + "])"


def _departments() -> tuple[int, int, int]:
    """Engineering, the tenant desk's department (Operations) and Safety."""
    from django.conf import settings

    from crm_project.accounts.models import Department

    names = {
        "engineering": ("工程部", "Engineering"),
        settings.TENANT_DESK_DEPARTMENT: ("营运部", "Operations"),
        "safety": ("安全部", "Safety"),
    }
    return tuple(
        Department.objects.get_or_create(code=code, defaults={"name_zh": zh, "name_en": en})[0].pk
        for code, (zh, en) in names.items()
    )


def _tenants(cursor, wanted: int) -> int:
    """The bench's shops, made up to `wanted`; returns how many there are."""
    from tenants.models import Tenant

    cursor.execute("SELECT count(*) FROM tenants_tenant WHERE left(unit, 3) = 'BT-'")
    have = cursor.fetchone()[0]
    if have < wanted:
        insert_select(
            cursor,
            Tenant,
            {
                "shop_name": f"'压测' || {_text(SHOPS)}[1 + mod(s.n, {len(SHOPS)})] || s.n || '号店'",
                "unit": "'BT-' || lpad(s.n::text, 5, '0')",
                "floor": "(1 + mod(s.n, 5)) || 'F'",
                "business_type": f"{_text(SHOPS)}[1 + mod(s.n, {len(SHOPS)})]",
                "lease_start": "date '2024-01-01' + mod(s.n, 365)",
                "lease_end": "date '2029-01-01' + mod(s.n, 365)",
                "search_text": f"lower('压测' || {_text(SHOPS)}[1 + mod(s.n, {len(SHOPS)})] || s.n || '号店 bt-' "
                "|| lpad(s.n::text, 5, '0'))",
            },
            f"(SELECT {have} + g AS n FROM generate_series(1, {wanted - have}) g) s",
        )
    return max(have, wanted)


def load_tenant_requests(cursor, count: int) -> int:
    """Insert `count` tenant requests of the bench's shops (replacing an earlier load's); returns
    the number of rows inserted."""
    from tenants.models import TenantRequest

    engineering, desk, safety = _departments()
    tenants = _tenants(cursor, max(MIN_TENANTS, count // REQUESTS_PER_TENANT))
    cursor.execute(
        "DELETE FROM tenants_tenantrequest "
        "WHERE tenant_id IN (SELECT id FROM tenants_tenant WHERE left(unit, 3) = 'BT-')"
    )
    category = "CASE " + " ".join(f"WHEN s.r2 < {share} THEN '{name}'" for name, share, _r, _c in CATEGORIES) + " END"
    respond = "CASE s.category " + " ".join(f"WHEN '{name}' THEN {r}" for name, _s, r, _c in CATEGORIES) + " END"
    complete = "CASE s.category " + " ".join(f"WHEN '{name}' THEN {c}" for name, _s, _r, c in CATEGORIES) + " END"
    description = (
        "CASE s.category "
        + " ".join(f"WHEN '{name}' THEN {_text(texts)}[1 + mod(s.g, {len(texts)})]" for name, texts in TEXTS.items())
        + " END"
    )
    # Emergencies and repairs go to Engineering (a third of the emergencies to Safety) as soon as
    # they are logged; the rest wait at the desk for Operations to take them.
    department = (
        f"CASE WHEN s.category = 'emergency' AND s.r6 < 0.3 THEN {safety} "
        f"WHEN s.category IN ('emergency', 'repair') THEN {engineering} "
        f"WHEN s.stage >= 1 THEN {desk} END"
    )
    # Late answers and completions: a factor of the target above 1 for r4 < 0.08 / r5 < 0.12.
    response_time = (
        "CASE WHEN s.respond IS NULL THEN interval '1 hour' * (1 + s.r4 * 47) "
        "WHEN s.r4 < 0.08 THEN s.respond * (1.1 + s.r4 * 25) ELSE s.respond * (0.1 + s.r4 * 0.85) END"
    )
    completion_time = (
        "CASE WHEN s.complete IS NULL THEN interval '1 hour' * (2 + s.r5 * 70) "
        "WHEN s.r5 < 0.12 THEN s.complete * (1.1 + s.r5 * 12) ELSE s.complete * (0.15 + s.r5 * 0.8) END"
    )
    responded = "least(now(), s.logged_at + t.response_time)"
    resolved = "least(now(), s.logged_at + greatest(t.completion_time, t.response_time + interval '10 minutes'))"
    number = "nextval('tenants_request_reference_seq')"
    source = (
        "(SELECT s.*, "
        f"{respond} AS respond, {complete} AS complete, "
        # Three days old or less: at any stage; older: 1 % answered only, 2 % awaiting the
        # tenant's confirmation, the rest confirmed.
        "CASE WHEN now() - s.logged_at < interval '3 days' THEN floor(s.r3 * 5)::int "
        "WHEN s.r3 < 0.01 THEN 2 WHEN s.r3 < 0.03 THEN 3 ELSE 4 END AS stage "
        "FROM (SELECT s.*, "
        f"{category} AS category, now() - s.r1 * interval '730 days' AS logged_at, "
        f"1 + floor(s.r7 * {tenants})::int AS shop_number "
        "FROM (SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, "
        f"random() r7 FROM generate_series(1, {count}) g) s) s) s "
        f"CROSS JOIN LATERAL (SELECT {response_time} AS response_time, {completion_time} AS completion_time) t "
        "JOIN (SELECT id, unit, row_number() OVER (ORDER BY unit) AS n FROM tenants_tenant "
        "WHERE left(unit, 3) = 'BT-' AND moved_out_at IS NULL) shop ON shop.n = s.shop_number"
    )
    rows = insert_select(
        cursor,
        TenantRequest,
        {
            "reference": f"'TR-' || extract(year FROM s.logged_at AT TIME ZONE 'Asia/Shanghai') || '-' "
            f"|| lpad(({number})::text, 6, '0')",
            "channel": "CASE WHEN s.r6 < 0.45 THEN 'hotline' WHEN s.r6 < 0.75 THEN 'walk_in' "
            "WHEN s.r6 < 0.92 THEN 'online' ELSE 'social' END",
            "category": "s.category",
            "tenant_id": "shop.id",
            "unit": "shop.unit",
            "description": description,
            "department_id": department,
            "status": f"{STAGES}[s.stage + 1]",
            "logged_at": "s.logged_at",
            "assigned_at": f"CASE WHEN ({department}) IS NOT NULL "
            "THEN least(now(), s.logged_at + interval '5 minutes') END",
            "response_due_at": "s.logged_at + s.respond",
            "resolve_due_at": "s.logged_at + s.complete",
            "responded_at": f"CASE WHEN s.stage >= 2 THEN {responded} END",
            "response_note": "CASE WHEN s.stage >= 2 THEN '已收到，正在安排处理。' ELSE '' END",
            "resolved_at": f"CASE WHEN s.stage >= 3 THEN {resolved} END",
            "resolution": "CASE WHEN s.stage >= 3 THEN '已处理完毕，现场恢复正常。' ELSE '' END",
            "confirmed_at": f"CASE WHEN s.stage = 4 "
            f"THEN least(now(), {resolved} + interval '1 hour' * (1 + s.r6 * 23)) END",
            "satisfied": "CASE WHEN s.stage = 4 THEN true END",
        },
        source,
    )
    cursor.execute("ANALYZE tenants_tenant, tenants_tenantrequest")
    return rows
