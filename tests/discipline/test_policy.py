"""The policy handbook: anchored clauses, published versions, acknowledgement (签收) and the banner."""

from django.urls import reverse
import pytest

from discipline import policy, services
from discipline.models import PolicyAcknowledgement, PolicyVersion


@pytest.mark.parametrize("anchor,text", [
    ("jiangcheng-1", "当天工作事宜必须当天完成"), ("jiangcheng-2", "超3次以上"), ("jiangcheng-3", "100-1000元"),
    ("jiangcheng-4", "50-1000元"), ("jiangcheng-5", "100-10000元"), ("kaoqin-2", "补交假条"),
    ("kaoqin-3", "迟到、早退、旷工"), ("gongzuo-3", "工作进展报告"), ("lihui-2", "迟到者会后"),
    ("lihui-4", "会议记录"), ("zhiban-1", "值班负责人"), ("shensu-2", "申诉"), ("zhidu-5", "不得私自加班"),
])
def test_named_anchors_sit_on_their_clauses(anchor, text):
    assert text in policy.clause_text(anchor)


def test_each_named_anchor_names_exactly_one_clause():
    named = [clause.named for document in policy.handbook() for chapter in document.chapters
             for clause in chapter.clauses if clause.named]
    assert sorted(named) == sorted(policy.NAMED_CLAUSES)


def test_positional_anchors_are_unique_and_stable():
    first = [clause.anchor for document in policy.handbook() for chapter in document.chapters for clause in chapter.clauses]
    assert len(first) == len(set(first))
    policy.handbook.cache_clear()
    second = [clause.anchor for document in policy.handbook() for chapter in document.chapters for clause in chapter.clauses]
    assert first == second


def test_handbook_page_renders_every_clause_with_its_anchor(client, cast):
    client.force_login(cast.employee.user)
    page = client.get(reverse("discipline:policy")).content.decode()
    for anchor in policy.NAMED_CLAUSES:
        assert f'id="{anchor}"' in page
    assert "公开、公正、及时、有依据、严格执行" in page


def test_banner_until_acknowledged(client, cast, django_assert_num_queries):
    version = services.publish_policy_version(actor=cast.hr.user, label="2026版", note="首次发布")
    client.force_login(cast.employee.user)
    assert 'data-testid="policy-banner"' in client.get(reverse("discipline:record_list")).content.decode()
    read = {"read": policy.chapter_keys()}
    response = client.post(reverse("discipline:policy_acknowledge", kwargs={"pk": version.pk}), read)
    assert response.status_code == 302
    client.post(reverse("discipline:policy_acknowledge", kwargs={"pk": version.pk}), read)
    assert PolicyAcknowledgement.objects.filter(employee=cast.employee).count() == 1
    assert 'data-testid="policy-banner"' not in client.get(reverse("discipline:record_list")).content.decode()
    services.publish_policy_version(actor=cast.hr.user, label="2027版")
    assert 'data-testid="policy-banner"' in client.get(reverse("discipline:record_list")).content.decode()


def test_banner_costs_one_query(rf, cast, django_assert_num_queries):
    from django.template import Context, Template

    services.publish_policy_version(actor=cast.hr.user, label="v1")
    request = rf.get("/")
    request.user = cast.employee.user
    from opsdept import permissions

    permissions.employee_of(request.user)  # the context processor already looked the employee up
    template = Template('{% include "discipline/_banner.html" %}')
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request, "csrf_token": "x"}))
    assert "policy-banner" in html


def test_hr_sees_who_has_not_acknowledged(client, cast):
    version = services.publish_policy_version(actor=cast.hr.user, label="v1")
    services.acknowledge_policy(version.pk, actor=cast.employee.user, chapters_read=policy.chapter_keys())
    client.force_login(cast.hr.user)
    response = client.get(reverse("discipline:policy_acknowledgements"))
    missing = list(response.context["missing"])
    assert cast.employee not in missing and cast.outsider in missing and cast.hr in missing


def test_publishing_needs_a_new_label(cast):
    services.publish_policy_version(actor=cast.hr.user, label="v1")
    with pytest.raises(services.DisciplineError):
        services.publish_policy_version(actor=cast.hr.user, label="v1")
    assert PolicyVersion.objects.count() == 1


def test_hr_is_told_when_the_shipped_text_changed(client, cast):
    version = services.publish_policy_version(actor=cast.hr.user, label="v1")
    client.force_login(cast.hr.user)
    assert 'data-testid="policy-text-changed"' not in client.get(reverse("discipline:policy")).content.decode()
    PolicyVersion.objects.filter(pk=version.pk).update(text_sha256="0" * 64)
    assert 'data-testid="policy-text-changed"' in client.get(reverse("discipline:policy")).content.decode()


# ---------------------------------------------------------------- issue 13 item 8: read by chapter, sign at the end

def test_the_handbook_reads_by_chapter_with_every_draft_chapter_once():
    chapters = policy.by_chapter()
    titles = [chapter.topic.title for chapter in chapters]
    assert titles[:3] == ["总则与概述", "工作时间与考勤", "组织与岗位职责"] and len(titles) == len(set(titles))
    placed = [part.chapter.anchor for chapter in chapters for part in chapter.parts]
    every = [chapter.anchor for document in policy.handbook() for chapter in document.chapters]
    assert sorted(placed) == sorted(every)  # nothing lost, nothing twice
    attendance = next(chapter for chapter in chapters if chapter.topic.key == "kaoqin")
    assert {part.chapter.heading for part in attendance.parts} == {"二、工作时间和考勤", "二、工作时间与考勤", "三、考勤制度"}


def test_a_near_duplicate_clause_is_folded_beside_the_first_and_a_cited_one_never():
    folded = policy.near_duplicates()
    assert folded["d8-c1-1"] == "d2-c2-1"  # the second draft's 工作时间 repeats the first's
    named = {clause.anchor for document in policy.handbook() for chapter in document.chapters
             for clause in chapter.clauses if clause.named}
    assert not named & set(folded)


@pytest.mark.django_db
def test_the_page_keeps_every_anchor_has_a_table_of_contents_and_folds_duplicates(client, cast):
    client.force_login(cast.employee.user)
    page = client.get(reverse("discipline:policy")).content.decode()
    for anchor in policy.anchors():
        assert f'id="{anchor}"' in page, anchor
    for chapter in policy.by_chapter():
        assert f'href="#{chapter.anchor}-text"' in page and f'id="{chapter.anchor}-text"' in page
    assert page.count('data-testid="policy-duplicate"') == len(policy.near_duplicates())


@pytest.mark.django_db
def test_signing_needs_every_chapter_ticked_at_the_end_of_the_handbook(client, cast):
    version = services.publish_policy_version(actor=cast.hr.user, label="2026版")
    client.force_login(cast.employee.user)
    page = client.get(reverse("discipline:policy")).content.decode()
    assert page.count('data-testid="policy-read"') == len(policy.chapter_keys())
    assert page.index('data-testid="policy-sign"') > page.rindex('data-testid="policy-chapter"')
    url = reverse("discipline:policy_acknowledge", kwargs={"pk": version.pk})
    response = client.post(url, {"read": policy.chapter_keys()[:-1]}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302 and response["Location"].endswith("#sign")
    assert not PolicyAcknowledgement.objects.exists()
    client.post(url, {"read": policy.chapter_keys()})
    assert PolicyAcknowledgement.objects.filter(employee=cast.employee, version=version).count() == 1
    assert 'data-testid="policy-signed"' in client.get(reverse("discipline:policy")).content.decode()


@pytest.mark.django_db
def test_the_reminder_elsewhere_is_a_slim_link_not_a_sign_button(client, cast):
    services.publish_policy_version(actor=cast.hr.user, label="2026版")
    client.force_login(cast.employee.user)
    html = client.get("/").content.decode()
    banner = html[html.index('data-testid="policy-banner"'):]
    banner = banner[:banner.index("</div>\n</div>")]
    assert "<form" not in banner and 'data-testid="policy-acknowledge"' not in banner
    assert "fixed-bottom" in html


def test_the_download_sites_notice_is_not_shown_as_policy(client, cast):
    assert "下载文档前请自行甄别" in policy.raw_text()          # the shipped text is kept as copied (its fingerprint too)
    client.force_login(cast.employee.user)
    page = client.get(reverse("discipline:policy")).content.decode()
    assert "修订与解释" in page                                 # 附则's last clause is still there
    for notice in ("下载文档前请自行甄别", "仅部分预览", "人工客服工作时间"):
        assert notice not in page
