"""Security baseline: lockout, trusted proxies, safe redirects, headers, idle timeout."""

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from opsdept.net import client_ip


def fail_login(client: Client, username: str = "employee") -> int:
    return client.post(reverse("login"), {"username": username, "password": "wrong"}).status_code


@pytest.mark.django_db
def test_five_failures_lock_username_and_ip_with_429(cast, settings):
    client = Client(REMOTE_ADDR="10.1.1.1")
    assert [fail_login(client) for _ in range(4)] == [200] * 4
    assert fail_login(client) == 429
    locked = client.post(reverse("login"), {"username": "employee", "password": "pass-word-1"})
    assert locked.status_code == 429
    # Another address, or another user from this one, is not locked out.
    other_ip = Client(REMOTE_ADDR="10.1.1.2").post(reverse("login"), {"username": "employee", "password": "pass-word-1"})
    assert other_ip.status_code == 302
    assert client.post(reverse("login"), {"username": "outsider", "password": "pass-word-1"}).status_code == 302


@pytest.mark.django_db
def test_x_forwarded_for_cannot_dodge_the_lockout_without_a_trusted_proxy(cast):
    for n in range(5):
        client = Client(REMOTE_ADDR="10.2.2.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        last = fail_login(client)
    assert last == 429


def test_client_ip_believes_forwarded_only_from_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request) == "203.0.113.7"
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    assert client_ip(spoofed) == "203.0.113.7"


@pytest.mark.django_db
def test_next_only_redirects_within_the_site(cast):
    client = Client(REMOTE_ADDR="10.3.3.3")
    response = client.post(reverse("login") + "?next=https://evil.example/", {
        "username": "employee", "password": "pass-word-1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("home")
    client.logout()
    response = client.post(reverse("login"), {"username": "employee", "password": "pass-word-1", "next": "/calendar/"})
    assert response.url == "/calendar/"


@pytest.mark.django_db
def test_every_page_but_login_needs_a_login(client):
    response = client.get(reverse("people_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


@pytest.mark.django_db
def test_security_headers_and_idle_timeout(client, cast, settings):
    client.force_login(cast.employee.user)
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert not settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_TOUCH_SECONDS <= 60  # the idle timeout, within a minute
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    with mock.patch("time.time", return_value=time.time() + settings.SESSION_TOUCH_SECONDS + 1):
        touched = client.get(reverse("home"))  # the session is touched: the cookie's idle timeout starts again
    assert touched.cookies["sessionid"]["max-age"] == 30 * 60


@pytest.mark.django_db
def test_csrf_is_enforced(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.hr.user)
    assert client.post(reverse("calendar_override_set"), {"date": "2027-01-01", "kind": "holiday"}).status_code == 403


def test_production_settings_pass_the_deploy_check(tmp_path):
    import os
    import subprocess
    import sys

    base = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**base, "DJANGO_ENV": "production", "SECRET_KEY": "k" * 30 + "-production-only-secret-value-123",
           "ALLOWED_HOSTS": "ops.example.com", "DEBUG": "false", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"}
    result = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
