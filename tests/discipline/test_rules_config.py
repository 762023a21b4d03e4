"""HR configures the attendance, meeting, report and duty rules; the policy's five stay as the policy says."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.urls import reverse
import pytest

from discipline import services
from discipline.models import Rule
from discipline.services import DisciplineError

from .factories import rule


def test_hr_allows_fines_for_missing_reports(cast):
    services.configure_rule(rule("missing-report").pk, actor=cast.hr.user, allowed_kinds=["verbal", "fine"],
                            min_amount=Decimal("10"), max_amount=Decimal("100"), is_active=True)
    configured = rule("missing-report")
    assert configured.allowed_kinds == ["fine", "verbal"] and configured.max_amount == Decimal("100")


@pytest.mark.parametrize("kinds,low,high", [
    ([], None, None), (["fine"], None, None), (["verbal"], Decimal("1"), Decimal("2")),
    (["fine"], Decimal("100"), Decimal("10")), (["fine"], Decimal("-1"), Decimal("10")),
])
def test_bad_configurations_are_refused(cast, kinds, low, high):
    with pytest.raises(DisciplineError):
        services.configure_rule(rule("late").pk, actor=cast.hr.user, allowed_kinds=kinds, min_amount=low,
                                max_amount=high, is_active=True)
    assert rule("late").min_amount is None


def test_policy_rules_keep_the_policys_ranges(cast):
    with pytest.raises(DisciplineError):
        services.configure_rule(rule("same-day-unfinished").pk, actor=cast.hr.user, allowed_kinds=["fine"],
                                min_amount=Decimal("1"), max_amount=Decimal("500"), is_active=True)
    assert rule("same-day-unfinished").max_amount == Decimal("100")


def test_only_hr_configures(cast):
    with pytest.raises(PermissionDenied):
        services.configure_rule(rule("late").pk, actor=cast.manager.user, allowed_kinds=["verbal"],
                                min_amount=None, max_amount=None, is_active=True)


def test_rule_form_shows_field_errors(client, cast):
    client.force_login(cast.hr.user)
    url = reverse("discipline:rule_edit", kwargs={"pk": rule("late").pk})
    response = client.post(url, {"allowed_kinds": ["fine"], "min_amount": "", "max_amount": "", "is_active": "on"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"allowed_kinds": ["verbal", "written"], "is_active": "on"})
    assert response.status_code == 302
    assert rule("late").allowed_kinds == ["verbal", "written"]


def test_every_rule_links_to_an_existing_clause(client, cast):
    from discipline import policy

    anchors = policy.anchors()
    for item in Rule.objects.all():
        assert item.clause in anchors, item.code
    client.force_login(cast.employee.user)
    page = client.get(reverse("discipline:rule_list")).content.decode()
    assert 'href="/discipline/policy/#jiangcheng-1"' in page
