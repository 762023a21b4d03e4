"""The notice board (通报) shows public kinds to everyone; other records stay private."""

from django.urls import reverse

from discipline.models import Kind

from .factories import RecordFactory, rule


def test_public_records_reach_everyone_newest_first(client, cast):
    praise = RecordFactory(employee=cast.outsider, issued_by=cast.other_supervisor, kind=Kind.PUBLIC_PRAISE,
                           rule=rule("campaign-success"), evidence="活动增粉三千")
    criticism = RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.PUBLIC_CRITICISM,
                              evidence="当天任务未反馈")
    RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.FINE, evidence="私下罚款")
    client.force_login(cast.clerk.user)
    response = client.get(reverse("discipline:notice_board"))
    shown = list(response.context["page"])
    assert [record.pk for record in shown] == [criticism.pk, praise.pk]
    assert "私下罚款" not in response.content.decode()


def test_private_records_are_visible_only_along_the_tree(client, cast):
    fine = RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.FINE)
    for who, status in ((cast.employee, 200), (cast.supervisor, 200), (cast.manager, 200), (cast.hr, 200),
                        (cast.other_supervisor, 404), (cast.outsider, 404), (cast.clerk, 404)):
        client.force_login(who.user)
        assert client.get(reverse("discipline:record_detail", kwargs={"pk": fine.pk})).status_code == status, who
        listed = client.get(reverse("discipline:record_list")).context["page"]
        assert (fine in list(listed)) == (status == 200), who


def test_notice_board_query_count_stays_flat(client, cast, django_assert_max_num_queries):
    client.force_login(cast.employee.user)
    RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.PUBLIC_CRITICISM)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("discipline:notice_board"))
    baseline = len(few.captured_queries)  # read now: each request resets the query log
    for _ in range(15):
        RecordFactory(employee=cast.outsider, issued_by=cast.other_supervisor, kind=Kind.PUBLIC_CRITICISM)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("discipline:notice_board"))


def test_a_withdrawn_notice_comes_off_the_board(client, cast):
    from discipline import services

    criticism = RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.PUBLIC_CRITICISM)
    services.reverse_record(criticism.pk, actor=cast.supervisor.user, reason="查明不属实")
    client.force_login(cast.outsider.user)
    assert list(client.get(reverse("discipline:notice_board")).context["page"]) == []


def test_record_list_filters_by_employee_and_kind(client, cast):
    fine = RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.FINE)
    RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.PUBLIC_CRITICISM, amount=None)
    RecordFactory(employee=cast.clerk, issued_by=cast.supervisor, kind=Kind.FINE)
    client.force_login(cast.supervisor.user)
    url = reverse("discipline:record_list")
    response = client.get(url, {"who": "张员工", "kind": "fine"})
    assert list(response.context["page"]) == [fine]
    assert 'data-testid="filters"' in response.content.decode()  # the one panel of every list
    assert len(client.get(url).context["page"]) == 3
    # Someone outside the supervisor's reach is found nowhere: the list stays within reach, nothing leaks.
    response = client.get(url, {"who": cast.outsider.name})
    assert response.status_code == 200 and len(response.context["page"]) == 0
