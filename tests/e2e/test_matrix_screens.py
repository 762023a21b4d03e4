"""Every page of the permission matrix, as each of the issue's roles sees it, at phone and desktop size.

For each role (staff, supervisor, HR, the manager, and signed out) every GET route the matrix answers
200 for is opened once in one browser context per role: a full-page screenshot at 390×844 and at
1366×900 lands in test-artifacts/matrix/<role>/ so a reviewer can look at all of them at once, and the
page must not scroll sideways on the phone nor log a console error (a CSP violation is one).
Downloads (XLSX, CSV, ICS, attachments) and non-HTML answers are skipped. One browser, one context per role.
"""

from importlib import import_module

from django.db import transaction
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
import pytest

from tests.conftest import ARTIFACTS
from tests.matrix import Route

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
CHAPTERS = ["opsdept", "attendance", "leave", "worklog", "meetings", "duty", "discipline"]
ROLES = ["anonymous", "employee", "supervisor", "hr", "manager"]


def matrix_routes() -> list[tuple[str | None, str, Route]]:
    routes = []
    for chapter in CHAPTERS:
        module = import_module(f"tests.{chapter}.test_permissions")
        namespace = None if chapter == "opsdept" else chapter
        routes += [(namespace, name, route) for name, route in module.MATRIX.items() if route.method == "get"]
    return routes


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-word-1")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/**")


@pytest.mark.parametrize("role", ROLES)
def test_every_matrix_page_reads_on_a_phone_and_a_desktop(browser, live_server, cast, role):
    folder = ARTIFACTS / "matrix" / role
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    if role != "anonymous":
        _sign_in(page, live_server.url, cast.by_role(role).user.get_username())
    problems: list[str] = []
    seen = 0
    for namespace, name, route in matrix_routes():
        if route.status_for(role) != 200:
            continue
        label = f"{namespace or 'opsdept'}.{name}"
        try:
            with transaction.atomic():
                kwargs = route.kwargs(cast) if route.kwargs else {}
        except Exception as error:  # a matrix builder that cannot run twice in one database
            problems.append(f"{label}: the matrix's builder failed: {error!r}")
            continue
        url = live_server.url + reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs)
        errors.clear()
        page.set_viewport_size(PHONE)
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue                                # an export or an attachment: nothing to draw
            raise
        if response is not None and "text/html" not in response.headers.get("content-type", ""):
            continue                                    # the manifest, the service worker, a calendar feed
        if response is None or response.status != 200:
            problems.append(f"{label}: status {response.status if response else 'none'}")
            continue
        page.screenshot(path=str(folder / f"{label}-phone.png"), full_page=True, animations="disabled")
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-responsive, .month-grid-wrap'))
                .slice(0, 3).map(el => el.tagName + '.' + [...el.classList].join('.'))""")
            problems.append(f"{label}: scrolls sideways at 390 px ({', '.join(wide)})")
        page.set_viewport_size(DESKTOP)
        # The desktop's first screen (the phone's shot is the whole page): half the time of a full page.
        page.screenshot(path=str(folder / f"{label}-desktop.png"), animations="disabled")
        problems += [f"{label}: console: {error}" for error in errors]
        seen += 1
    context.close()
    assert seen >= (2 if role == "anonymous" else 20), f"only {seen} pages seen"
    assert problems == [], "\n".join(problems)
