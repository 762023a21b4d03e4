"""A demo supervisor signs in through a real chromium and sees their dashboard in Chinese."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_demo_supervisor_sees_the_dashboard_in_chinese(page, live_server, browser_login, screenshot):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    browser_login(page, "lijing", "demo1234")
    expect(page.get_by_test_id("dashboard-title")).to_have_text("你好，李静")
    expect(page.get_by_test_id("my-team-card")).to_contain_text("我的团队")
    expect(page.get_by_test_id("my-team-card")).to_contain_text("5 人向你汇报")   # four, and the newcomer (not the leaver)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "foundation-supervisor-dashboard")


def test_phone_sized_login_and_language_switch(browser, live_server, screenshot):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "zhangwei")
    page.fill("input[name=password]", "wrong")
    page.click("form button[type=submit]")
    expect(page.locator(".alert-danger, .invalid-feedback, .alert")).to_contain_text("用户名或密码错误")
    page.fill("input[name=username]", "zhangwei")
    page.fill("input[name=password]", "demo1234")
    page.click("form button[type=submit]")
    expect(page.get_by_test_id("dashboard-title")).to_have_text("你好，张伟")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Hello, 张伟")
    screenshot(page, "foundation-phone-dashboard-en")
    context.close()
