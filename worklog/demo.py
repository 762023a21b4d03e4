"""Demo data for the worklog chapter, loaded by `manage.py seed_demo` (idempotent).

Two weeks of daily reports for the demo department with supervisors' comments —
some days left out so that `worklog.missing_report` has something to flag —
and tasks in every state: open, done on time, done late, open with same-day
feedback, and overdue without feedback (for `worklog.unfinished_task`).
Past rows are written directly: the services only accept today's reports.
"""

from datetime import date, datetime, time, timedelta

from django.core.management.base import OutputWrapper
from django.utils import timezone

from opsdept import workcalendar
from opsdept.models import Employee

from .models import DailyReport, Task, TaskFeedback

WORK = {
    "客服部": ("处理客户咨询 {n} 条，回访投诉客户 {m} 位", "部分客户反映物流延迟", "已与物流部门沟通并给出预计送达时间", "继续跟进未结工单，整理常见问题"),
    "市场部": ("完成推广素材 {m} 套，跟进投放数据", "点击率低于预期", "调整文案与投放时段", "复盘投放数据，准备下周活动方案"),
    "办公室": ("更新网站内容 {m} 篇，整理部门文件 {n} 份", "", "", "继续网站栏目改版"),
}
COMMENTS = [("excellent", "完成得很好，继续保持。"), ("good", "进度正常，注意问题的闭环。"), ("fair", "内容偏简单，请写清具体数据。")]
# Who skips which of the past workdays (0 = the most recent), so the nightly check has findings.
SKIPS = {"liuyang": {0}, "chenchen": {2}, "heli": {0, 1}}


# seed_demo runs the nightly checks over the last 14 nights: cover them all, so only the gaps below are flagged.
DEMO_DAYS = 14


def _past_workdays(today: date) -> list[date]:
    """The workdays of the last DEMO_DAYS days before today, most recent first."""
    return list(reversed(workcalendar.workdays_between(today - timedelta(days=DEMO_DAYS), today - timedelta(days=1))))


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(stdout: OutputWrapper) -> None:
    people = {e.user.username: e for e in Employee.objects.select_related("user", "department", "supervisor").filter(is_active=True)}
    if not people:
        stdout.write("  worklog: no demo people; skipped")
        return
    today = timezone.localdate()
    past = _past_workdays(today)
    writers = [e for e in people.values() if e.role in (Employee.Role.STAFF, Employee.Role.SUPERVISOR)]
    reports = 0
    for index, day in enumerate(past):
        for number, employee in enumerate(writers):
            if index in SKIPS.get(employee.user.username, set()):
                continue
            done, problems, solutions, plan = WORK.get(employee.department.name, WORK["办公室"])
            report, created = DailyReport.objects.get_or_create(
                employee=employee, date=day,
                defaults={
                    "done": done.format(n=12 + number + index, m=2 + (number + index) % 4),
                    "completion": 100 - 10 * ((number + index) % 3),
                    "problems": problems, "solutions": solutions, "plan": plan,
                },
            )
            reports += created
            supervisor = employee.supervisor
            if created and supervisor is not None and (number + index) % 4 != 3:
                rating, comment = COMMENTS[(number + index) % len(COMMENTS)]
                DailyReport.objects.filter(pk=report.pk).update(
                    rating=rating, comment=comment, reviewed_by=supervisor, reviewed_at=_at(day, 19),
                )
    due_today = today if workcalendar.is_workday(today) else workcalendar.add_workdays(today, 1)
    last_workday = past[0] if past else due_today
    tasks = 0
    plan = [
        # assignee, assigner, title, detail, due, done on, feedback (reason, new plan)
        ("zhangwei", "lijing", "整理本周客户投诉记录", "按问题类型分类，周五前提交汇总表。", due_today, None, None),
        ("zhangwei", "lijing", "回复工单 #1024", "客户要求退换货，请当天回复。", due_today, today, None),
        ("liuyang", "lijing", "更新常见问题文档", "补充物流延迟相关问答。", due_today, None,
         ("等待物流部门确认最新时效", "明天上午拿到确认后更新并提交")),
        ("chenchen", "lijing", "核对退款清单", "核对上周退款记录与财务数据。", last_workday, None, None),
        ("yangfan", "lijing", "准备新人培训材料", "客服话术与系统操作各一份。", last_workday, today, None),
        ("sunyue", "zhaolei", "设计双十二活动海报", "三个尺寸，含移动端。", due_today, None, None),
        ("zhouting", "zhaolei", "撰写活动推文", "", last_workday, last_workday, None),
        ("zhengshuang", "wugang", "网站首页栏目改版", "", due_today, None, None),
    ]
    for assignee, assigner, title, detail, due, done_on, feedback in plan:
        if assignee not in people or assigner not in people:
            continue
        task, created = Task.objects.get_or_create(
            assignee=people[assignee], title=title, due_date=due,
            defaults={
                "assigned_by": people[assigner], "detail": detail,
                "status": Task.Status.DONE if done_on else Task.Status.OPEN,
                "done_on": done_on, "done_at": _at(done_on, 17) if done_on else None,
            },
        )
        tasks += created
        if feedback is not None:
            TaskFeedback.objects.get_or_create(
                task=task, reason=feedback[0],
                defaults={"author": people[assignee], "new_plan": feedback[1], "given_on": due},
            )
    stdout.write(f"  worklog: {reports} daily reports and {tasks} tasks added")
