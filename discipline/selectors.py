"""discipline: reads shared by pages."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from opsdept import permissions

from .models import Flag


def flags_visible_to(user: AbstractBaseUser) -> QuerySet[Flag]:
    return permissions.scope(user, Flag.objects.select_related("employee", "rule", "reviewed_by"))


def open_flags_for_review(user: AbstractBaseUser) -> QuerySet[Flag]:
    """The open flags of the people `user` leads."""
    team = permissions.team_employees(user).values("pk")
    return Flag.objects.select_related("employee", "rule").filter(status=Flag.Status.OPEN, employee__in=team)
