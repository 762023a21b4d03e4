"""factory_boy factories for the worklog chapter."""

from datetime import date

import factory

from tests.factories import EmployeeFactory
from worklog.models import DailyReport, Task, TaskFeedback


class DailyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyReport

    employee = factory.SubFactory(EmployeeFactory)
    date = date(2026, 11, 26)
    done = "处理客户咨询 20 条"
    completion = 100
    problems = ""
    solutions = ""
    plan = "继续跟进工单"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    assignee = factory.SubFactory(EmployeeFactory)
    assigned_by = factory.SubFactory(EmployeeFactory)
    title = factory.Sequence(lambda n: f"任务{n}")
    detail = ""
    due_date = date(2026, 11, 26)


class TaskFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskFeedback

    task = factory.SubFactory(TaskFactory)
    author = factory.LazyAttribute(lambda o: o.task.assignee)
    reason = "等待对方确认"
    new_plan = "明天上午完成"
    given_on = factory.LazyAttribute(lambda o: o.task.due_date)
