"""Demo data for the discipline chapter, loaded by `manage.py seed_demo` (idempotent).

A few rewards and penalties (some on the notice board), one pending appeal and a
published policy version. Flags come from a nightly run the lead starts after seeding.
"""

from decimal import Decimal
import uuid

from django.core.management.base import OutputWrapper

from opsdept.models import Employee

from . import services
from .models import Appeal, Kind, PolicyVersion, Record, Rule

DEMO_NAMESPACE = uuid.UUID("6f1c4c52-3b0e-4d7b-9d43-8a2f0e6d1a01")

# key, issuer, employee, rule code, kind, amount, evidence
RECORDS = [
    ("praise-sunyue", "zhaolei", "sunyue", "campaign-success", Kind.PUBLIC_PRAISE, None,
     "双十一海报活动带来新增粉丝 3,200 人，转化率高于预期。"),
    ("bonus-zhouting", "wangjianguo", "zhouting", "campaign-success", Kind.BONUS, Decimal("500"),
     "公众号系列推文阅读量破十万，带来网站流量增长 40%。"),
    ("criticism-liuyang", "lijing", "liuyang", "same-day-unfinished", Kind.PUBLIC_CRITICISM, None,
     "11 月 3 日客户投诉回访未当天完成，也未当天向主管反馈。"),
    ("fine-chenchen", "lijing", "chenchen", "same-day-unfinished", Kind.FINE, Decimal("50"),
     "11 月 5 日礼包更新任务未完成且未反馈，导致次日用户咨询量激增。"),
    ("warning-fengxue", "wugang", "fengxue", "late", Kind.VERBAL_WARNING, None,
     "本月第三次迟到，已口头提醒。"),
]


def seed(stdout: OutputWrapper) -> None:
    people = {employee.user.username: employee for employee in Employee.objects.select_related("user")}
    if "mahong" not in people:
        stdout.write("  discipline: the demo people are missing; skipped")
        return
    if not PolicyVersion.objects.exists():
        services.publish_policy_version(actor=people["mahong"].user, label="2026 第1版", note="运营部规章制度首次在系统内发布。")
    created = 0
    for key, issuer, employee, code, kind, amount, evidence in RECORDS:
        _record, new = services.issue_record(
            people[employee].pk, actor=people[issuer].user, rule_id=Rule.objects.get(code=code).pk, kind=kind,
            amount=amount, evidence=evidence, token=uuid.uuid5(DEMO_NAMESPACE, key),
        )
        created += new
    fine = Record.objects.get(token=uuid.uuid5(DEMO_NAMESPACE, "fine-chenchen"))
    if not Appeal.objects.filter(record=fine).exists():
        services.file_appeal(fine.pk, actor=people["chenchen"].user,
                             reason="当天系统故障，礼包后台无法登录，已在群里说明，但主管未看到。")
    stdout.write(f"  discipline: {created} new record(s), {Appeal.objects.count()} appeal(s), "
                 f"policy version {PolicyVersion.current()}")
