"""The reward/penalty form follows the chosen rule: its kinds, a sensible default, its range and clause (issue 13 #5)."""

from django.urls import reverse

from discipline.models import Kind
from tests.discipline.factories import FlagFactory, rule


def _kind_values(form) -> list[str]:
    return [value for value, _label in form.fields["kind"].choices]


def test_from_a_late_flag_the_form_offers_warnings_and_opens_on_a_verbal_warning(client, cast):
    flag = FlagFactory(employee=cast.employee, rule=rule("late"))
    client.force_login(cast.supervisor.user)
    form = client.get(reverse("discipline:flag_record", kwargs={"pk": flag.pk})).context["form"]
    assert form.initial["kind"] == Kind.VERBAL_WARNING
    assert Kind.PUBLIC_PRAISE not in _kind_values(form) and Kind.BONUS not in _kind_values(form)
    assert set(_kind_values(form)) == set(rule("late").allowed_kinds)


def test_rule_one_narrows_to_penalties_and_states_range_and_clause(client, cast):
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("discipline:record_create"), {"rule": "same-day-unfinished"})
    form = response.context["form"]
    assert set(_kind_values(form)) == {Kind.PUBLIC_CRITICISM, Kind.BONUS_DEDUCTION, Kind.FINE}
    page = response.content.decode()
    assert "部门奖惩条例第 1 条" in page and "jiangcheng-1</a>" not in page


def test_htmx_rule_change_answers_the_rule_fields_only(client, cast):
    client.force_login(cast.supervisor.user)
    reward = rule("campaign-success")
    # The supervisor had a warning chosen under another rule, then picks rule 3 (a reward).
    response = client.get(reverse("discipline:record_create"),
                          {"rule": reward.pk, "kind": Kind.VERBAL_WARNING, "employee": cast.employee.employee_no},
                          HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert page.lstrip().startswith('<div id="rule-fields"')
    form = response.context["form"]
    assert _kind_values(form) == [Kind.PUBLIC_PRAISE, Kind.BONUS]
    assert form.initial["kind"] == Kind.PUBLIC_PRAISE               # the warning is not a kind of rule 3
    assert "部门奖惩条例第 3 条" in page


def test_choosing_a_money_kind_shows_the_amount_beside_its_range(client, cast):
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("discipline:record_create"),
                          {"rule": rule("same-day-unfinished").pk, "kind": Kind.FINE}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-testid="amount-range"' in page and "¥10.00–¥100.00" in page
    response = client.get(reverse("discipline:record_create"),
                          {"rule": rule("same-day-unfinished").pk, "kind": Kind.PUBLIC_CRITICISM}, HTTP_HX_REQUEST="true")
    assert 'data-testid="no-amount"' in response.content.decode()


def test_a_kind_the_rule_does_not_allow_is_a_form_error(client, cast):
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("discipline:record_create"), {
        "employee": cast.employee.employee_no, "rule": rule("late").pk, "kind": Kind.PUBLIC_PRAISE, "evidence": "迟到",
        "token": "8a3c1c1e-6c7e-4b7e-9a53-0c2f3b7d1a11"})
    assert response.status_code == 200 and response.context["form"].errors.get("kind")
