"""The navigation's menus are rendered once per language and set of permissions (opsdept_tags.main_nav, issue 16):
every viewer still gets exactly the menus a fresh rendering gives them."""

from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
import pytest

from opsdept import permissions
from opsdept.templatetags import opsdept_tags

ROLES = ["employee", "supervisor", "other_supervisor", "manager", "hr", "clerk"]


def _nav(user, cached: bool) -> str:
    request = RequestFactory().get("/")
    request.user = user
    me = permissions.employee_of(user)
    if not cached:
        return render_to_string(opsdept_tags.NAV_TEMPLATE, {"me": me, "request": request})
    return Template("{% load opsdept_tags %}{% main_nav %}").render(Context({"request": request, "me": me}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_role_gets_the_menus_a_fresh_rendering_gives_them(cast, django_user_model, language):
    opsdept_tags._nav_html.clear()
    users = [django_user_model.objects.get(pk=cast.by_role(role).user_id) for role in ROLES]
    with translation.override(language):
        for user in users + users:  # the second round is served from the cache, filled by every role
            assert _nav(user, cached=True) == _nav(user, cached=False)
        menus = {role: _nav(user, cached=True) for role, user in zip(ROLES, users)}
    assert len(opsdept_tags._nav_html) >= 3  # staff, supervisors, HR and the manager see different menus
    assert "/attendance/team/today/" in menus["supervisor"] and "/attendance/team/today/" not in menus["employee"]
    assert "/audit/" in menus["hr"] and "/audit/" not in menus["supervisor"]


def test_the_cache_keeps_the_languages_apart(cast, django_user_model):
    user = django_user_model.objects.get(pk=cast.employee.user_id)
    with translation.override("zh-hans"):
        chinese = _nav(user, cached=True)
    with translation.override("en"):
        english = _nav(user, cached=True)
    assert "考勤" in chinese and "Attendance" in english and chinese != english


def test_a_permission_that_changes_changes_the_menus_at_once(cast, django_user_model):
    user = django_user_model.objects.get(pk=cast.employee.user_id)
    assert "/attendance/team/today/" not in _nav(user, cached=True)
    cast.employee.role = cast.employee.Role.SUPERVISOR
    cast.employee.save(update_fields=["role"])
    cast.outsider.supervisor = cast.employee
    cast.outsider.save(update_fields=["supervisor"])
    promoted = django_user_model.objects.get(pk=cast.employee.user_id)
    assert "/attendance/team/today/" in _nav(promoted, cached=True)


def test_a_menu_that_reads_anything_else_is_refused(monkeypatch):
    """The cache key is what the menus read; a menu showing a variable or reading the request would be shared
    wrongly, so it is refused."""
    sources = {opsdept_tags.NAV_TEMPLATE: '{% include "x/_nav.html" %}', "x/_nav.html": "<a>{{ request.path }}</a>"}
    monkeypatch.setattr(opsdept_tags, "get_template",
                        lambda name: SimpleNamespace(template=SimpleNamespace(source=sources[name])))
    opsdept_tags._nav_inputs.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            opsdept_tags._nav_inputs()
    finally:
        monkeypatch.undo()
        opsdept_tags._nav_inputs.cache_clear()


def test_the_menus_inputs_are_read_from_the_templates():
    actions, attributes = opsdept_tags._nav_inputs()
    assert {"attendance.team", "leave.view_balances", "people.view", "audit.view"} <= set(actions)
    assert "is_supervisor" in attributes
