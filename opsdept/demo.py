"""The demo department: the policy's own 13-person org chart, plus HR and a meeting clerk."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import OutputWrapper
from django.db import transaction

from .models import Department, Employee, WorkSchedule

DEMO_PASSWORD = "demo1234"

# username, employee no, name, department, title, supervisor username, role, meeting clerk, hired, working since
PEOPLE = [
    ("wangjianguo", "OP001", "王建国", "运营部", "运营总监", None, Employee.Role.MANAGER, False, date(2016, 3, 1), date(2004, 7, 1)),
    ("lijing", "OP002", "李静", "客服部", "客服经理", "wangjianguo", Employee.Role.SUPERVISOR, False, date(2018, 5, 14), date(2012, 7, 1)),
    ("zhangwei", "OP003", "张伟", "客服部", "客服专员", "lijing", Employee.Role.STAFF, False, date(2021, 9, 1), date(2019, 7, 1)),
    ("liuyang", "OP004", "刘洋", "客服部", "客服专员", "lijing", Employee.Role.STAFF, False, date(2022, 3, 7), date(2022, 3, 7)),
    ("chenchen", "OP005", "陈晨", "客服部", "客服专员", "lijing", Employee.Role.STAFF, False, date(2023, 7, 10), date(2023, 7, 10)),
    ("yangfan", "OP006", "杨帆", "客服部", "客服专员", "lijing", Employee.Role.STAFF, False, date(2026, 2, 16), date(2025, 7, 1)),
    ("zhaolei", "OP007", "赵磊", "市场部", "推广经理", "wangjianguo", Employee.Role.SUPERVISOR, False, date(2017, 8, 21), date(2010, 7, 1)),
    ("sunyue", "OP008", "孙悦", "市场部", "平面设计师", "zhaolei", Employee.Role.STAFF, False, date(2020, 4, 1), date(2015, 7, 1)),
    ("zhouting", "OP009", "周婷", "市场部", "文案策划", "zhaolei", Employee.Role.STAFF, False, date(2021, 11, 15), date(2018, 7, 1)),
    ("wugang", "OP010", "吴刚", "办公室", "后台管理经理", "wangjianguo", Employee.Role.SUPERVISOR, False, date(2017, 2, 6), date(2006, 7, 1)),
    ("zhengshuang", "OP011", "郑爽", "办公室", "网站编辑", "wugang", Employee.Role.STAFF, False, date(2019, 6, 3), date(2016, 7, 1)),
    ("fengxue", "OP012", "冯雪", "办公室", "网站编辑", "wugang", Employee.Role.STAFF, False, date(2024, 8, 19), date(2024, 7, 1)),
    ("heli", "OP013", "何丽", "办公室", "美工", "wugang", Employee.Role.STAFF, False, date(2020, 10, 12), date(2017, 7, 1)),
    ("linfang", "OP014", "林芳", "办公室", "会议考勤员", "wugang", Employee.Role.STAFF, True, date(2022, 1, 4), date(2020, 7, 1)),
    ("mahong", "HR001", "马红", "办公室", "人事专员", "wangjianguo", Employee.Role.HR, False, date(2015, 9, 1), date(2008, 7, 1)),
]
DEPARTMENTS = [("运营部", None), ("办公室", "运营部"), ("市场部", "运营部"), ("客服部", "运营部")]
PHONES = "13800000000"


@transaction.atomic
def seed(stdout: OutputWrapper) -> None:
    """Create or refresh the demo people (idempotent: passwords and records are reset)."""
    WorkSchedule.current()
    departments: dict[str, Department] = {}
    for name, parent in DEPARTMENTS:
        departments[name], _ = Department.objects.update_or_create(name=name, defaults={"parent": departments.get(parent)})
    User = get_user_model()
    by_username: dict[str, Employee] = {}
    for index, (username, number, name, dept, title, boss, role, clerk, hired, since) in enumerate(PEOPLE, start=1):
        user, created = User.objects.get_or_create(username=username)
        # In production (seed_demo --force-demo) an existing account keeps the password its owner chose.
        if created or not settings.PRODUCTION:
            user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.email = f"{username}@example.com"
        user.save()
        employee, _ = Employee.objects.update_or_create(
            employee_no=number,
            defaults={
                "user": user, "name": name, "department": departments[dept], "title": title,
                "supervisor": by_username.get(boss), "role": role, "is_meeting_clerk": clerk,
                "phone": f"1380013{index:04d}", "email": user.email, "hire_date": hired,
                "work_start_date": since, "is_active": True,
            },
        )
        by_username[username] = employee
    stdout.write(f"  people: {len(by_username)} employees in {len(departments)} departments")


def logins() -> list[tuple[str, str, str]]:
    """(username, name and title, role) of every demo login, for the README and `make run`."""
    return [(username, f"{name} {title}", str(Employee.Role(role).label) + (" + 会议考勤员" if clerk else ""))
            for username, _n, name, _d, title, _b, role, clerk, _h, _s in PEOPLE]
