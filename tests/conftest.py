"""The fixed cast every test tells its story with.

    manager 王经理 (the department's manager)
    ├── supervisor 李主管 ── employee 张员工
    ├── other_supervisor 赵主管 ── outsider 孙员工   (another team)
    └── hr 马人事
    clerk 林记录 (meeting clerk, reports to the supervisor)

Log in with `client.force_login(cast.employee.user)`; django-axes needs a
request for `client.login`, so tests never use it.
"""

import os
from dataclasses import dataclass
from pathlib import Path
import shutil

import pytest

from opsdept.models import Employee
from tests.factories import DepartmentFactory, EmployeeFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _on_postgresql() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """`postgresql` tests (the race suite) ask a question SQLite cannot answer: deselected there, not skipped.
    CI=true runs on PostgreSQL, where they are collected; on SQLite under CI the suite fails instead."""
    if _on_postgresql():
        return
    postgres_only = [item for item in items if item.get_closest_marker("postgresql")]
    if postgres_only and IN_CI:
        raise pytest.UsageError("CI=true must run on PostgreSQL (set DATABASE_URL): the race suite needs it.")
    if postgres_only:
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
        config._opsdept_postgres_only = len(postgres_only)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = getattr(config, "_opsdept_postgres_only", 0)
    if count:
        terminalreporter.write_line(f"{count} PostgreSQL-only tests (the race suite) deselected on SQLite; "
                                    "run them with CI=true DATABASE_URL=postgres://…")


@dataclass
class Cast:
    manager: Employee
    supervisor: Employee
    employee: Employee
    other_supervisor: Employee
    outsider: Employee
    hr: Employee
    clerk: Employee

    def by_role(self, role: str) -> Employee | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def cast(db) -> Cast:
    root = DepartmentFactory(name="运营部")
    service = DepartmentFactory(name="客服部", parent=root)
    market = DepartmentFactory(name="市场部", parent=root)
    manager = EmployeeFactory(name="王经理", user__username="manager", department=root, role=Employee.Role.MANAGER)
    supervisor = EmployeeFactory(name="李主管", user__username="supervisor", department=service,
                                 role=Employee.Role.SUPERVISOR, supervisor=manager)
    employee = EmployeeFactory(name="张员工", user__username="employee", department=service, supervisor=supervisor)
    other = EmployeeFactory(name="赵主管", user__username="other_supervisor", department=market,
                            role=Employee.Role.SUPERVISOR, supervisor=manager)
    outsider = EmployeeFactory(name="孙员工", user__username="outsider", department=market, supervisor=other)
    hr = EmployeeFactory(name="马人事", user__username="hr", department=root, role=Employee.Role.HR, supervisor=manager)
    clerk = EmployeeFactory(name="林记录", user__username="clerk", department=service, supervisor=supervisor,
                            is_meeting_clerk=True)
    return Cast(manager, supervisor, employee, other, outsider, hr, clerk)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's million rounds per cast member would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _department_language_after_each_test():
    """A request in English (a `django_language` cookie) leaves the test thread in English; the next test starts in Chinese."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run inline in ordinary tests; the worker tests switch this off."""
    from opsdept import outbox
    from opsdept.celery import app

    app.conf.task_always_eager = True
    outbox.reset_broker_pause()
    yield
    app.conf.task_always_eager = False
    outbox.reset_broker_pause()


# ---------------------------------------------------------------- browser (pytest-playwright)

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            raise RuntimeError("CI needs Debian's chromium at /usr/bin/chromium (.ci/run installs it).")
        pytest.skip("chromium is not installed on this machine (CI installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture
def screenshot():
    """Save a screenshot under test-artifacts/ (git-ignored): screenshot(page, "name")."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def browser_login(live_server):
    """Sign a Playwright page in through the real login form: browser_login(page, "username")."""

    def sign_in(page, username: str, password: str = "pass-word-1") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/**")

    return sign_in


@pytest.fixture
def only_registered(monkeypatch):
    """Replace what an extension point holds for one test: only_registered(registries.export_columns, x=entry)."""

    def replace(point, **entries):
        monkeypatch.setattr(point, "_entries", {key: (100, entry) for key, entry in entries.items()})

    return replace


@pytest.fixture
def leave_days(only_registered):
    """Stand in for the leave chapter: leave_days[(employee id, day)] = Decimal fraction (0.5 is a morning)."""
    from opsdept import registries

    fractions: dict = {}

    def covers(ids, start, end):
        return {key: registries.WHOLE_DAY if value >= 1 else registries.MORNING for key, value in fractions.items()
                if (ids is None or key[0] in ids) and start <= key[1] <= end}

    only_registered(registries.day_providers, leave=registries.DayProvider(kind="leave", covers=covers))
    return fractions
