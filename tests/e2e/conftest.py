"""What the browser journeys share: the demo department, and the console errors a page logs."""

from django.core.management import call_command
import pytest


@pytest.fixture
def demo():
    """The demo department (seed_demo), in the test database; its people sign in with "demo1234"."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def console_errors(page):
    """Console errors (a CSP violation is one), uncaught page errors and failed responses."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    return errors
