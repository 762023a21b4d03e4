"""factory_boy factories for the department. Chapters keep theirs in tests/<app>/factories.py."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from opsdept.models import Department, Employee


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = "运营部"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-1")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    department = factory.SubFactory(DepartmentFactory)
    title = "专员"
    role = Employee.Role.STAFF
    hire_date = date(2020, 1, 1)
    work_start_date = date(2015, 7, 1)
