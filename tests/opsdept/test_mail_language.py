"""Issue 12: a notification reaches each reader in their own language — the e-mail (subject, plain and HTML part)
in the recipient's saved language, the in-app list in the reader's — and no call site hands `notify` a sentence
already translated into one language."""

import ast
from datetime import date
from pathlib import Path

from django.core import mail as sent_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
import pytest

from attendance import confirmation
from opsdept.models import AuditEvent, MailPreference, Notification
from opsdept.notify import Lines, Message, Verbatim, notify, notify_many

ROOT = Path(__file__).resolve().parents[2]
NOV_2 = date(2026, 11, 2)


def _addressed(*people):
    for person in people:
        person.email = f"{person.user.username}@example.com"
        person.save(update_fields=["email"])


def test_english_and_chinese_recipients_of_one_event_get_mails_in_their_own_language(cast, django_capture_on_commit_callbacks):
    _addressed(cast.employee, cast.supervisor)
    MailPreference.objects.create(employee=cast.employee, language="en")
    MailPreference.objects.create(employee=cast.supervisor, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        confirmation.open_confirmation(2026, 10, actor=cast.hr.user, today=NOV_2)   # everyone is asked, by HR's one click
    mails = {message.to[0]: message for message in sent_mail.outbox}
    english, chinese = mails["employee@example.com"], mails["supervisor@example.com"]
    assert english.subject == "Please confirm your attendance for 2026-10"
    assert chinese.subject == "请确认你 2026-10 的考勤"
    assert "Please confirm your attendance for 2026-10" in english.body and english.body.startswith("Hello 张员工,")
    assert "请确认你 2026-10 的考勤" in chinese.body and "你好" in chinese.body
    [(english_html, _type)] = english.alternatives
    [(chinese_html, _type)] = chinese.alternatives
    assert "<strong>Please confirm your attendance for 2026-10</strong>" in english_html and "请确认" not in english_html
    assert "<strong>请确认你 2026-10 的考勤</strong>" in chinese_html


def test_the_body_and_parameters_are_translated_too(cast, django_capture_on_commit_callbacks):
    """A lazy parameter (the verdict) and a composed body follow the reader; what a person typed stays as typed."""
    _addressed(cast.employee)
    MailPreference.objects.create(employee=cast.employee, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(cast.employee, subject=Message(gettext_lazy("Your overtime on %(date)s was %(verdict)s"),
                                              date="2026-10-12", verdict=gettext_lazy("approved")),
               body=Lines(Message(gettext_lazy("Due %(day)s."), day="2026-10-13"), "按时完成"))
    [message] = sent_mail.outbox
    assert message.subject == "Your overtime on 2026-10-12 was approved"
    assert "Due 2026-10-13.\n按时完成" in message.body
    notice = Notification.objects.get(recipient=cast.employee)
    assert notice.subject == "你 2026-10-12 的加班申请已批准" and notice.body == "截止日期：2026-10-13。\n按时完成"
    assert notice.in_language("en") == ("Your overtime on 2026-10-12 was approved", "Due 2026-10-13.\n按时完成")


def test_the_in_app_list_shows_each_reader_their_language(client, cast):
    notify(cast.employee, subject=Message(gettext_lazy("Please confirm your attendance for %(month)s"), month="2026-10"))
    client.force_login(cast.employee.user)
    assert "请确认你 2026-10 的考勤" in client.get(reverse("notification_list")).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("notification_list")).content.decode()
    assert "Please confirm your attendance for 2026-10" in page and "请确认你 2026-10 的考勤" not in page


def test_a_batch_binds_each_rows_parameters(cast):
    """notify_many renders after the loop that built it: each row keeps its own values in every language."""
    ids = notify_many([(person, Message(gettext_lazy("Please confirm your attendance for %(month)s"), month=month), "", "/")
                       for person, month in [(cast.employee, "2026-09"), (cast.supervisor, "2026-10")]])
    notes = Notification.objects.filter(pk__in=ids).order_by("pk")
    assert [note.in_language("en")[0] for note in notes] == ["Please confirm your attendance for 2026-09",
                                                            "Please confirm your attendance for 2026-10"]


def test_subjects_never_contain_a_line_break_in_any_language(cast):
    note = notify(cast.employee, subject=Message(gettext_lazy("New task from %(name)s: %(title)s"),
                                                 name="李主管", title="第一行\r\nBcc: evil@example.com\u2028第二行"))
    for language in ("zh-hans", "en"):
        subject = note.in_language(language)[0]
        assert "\n" not in subject and "\r" not in subject and "\u2028" not in subject


def test_notify_refuses_a_subject_already_translated(cast):
    with translation.override("zh-hans"):
        eager = translation.gettext("Please confirm your attendance for %(month)s") % {"month": "2026-10"}
    with pytest.raises(TypeError):
        notify(cast.employee, subject=eager)
    with pytest.raises(TypeError):
        Message(eager)   # a Message wants the msgid, lazily
    assert not Notification.objects.exists()
    notify(cast.employee, subject=Verbatim("typed by a person"))   # declared the same in every language


def test_switching_the_language_while_signed_in_saves_it_for_the_mails(client, cast):
    client.force_login(cast.employee.user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert MailPreference.objects.get(employee=cast.employee).language == "en"
    assert AuditEvent.objects.filter(action="mail.preference_set").count() == 1
    client.post(reverse("set_language"), {"language": "en", "next": "/"})   # the same again: nothing new to record
    assert AuditEvent.objects.filter(action="mail.preference_set").count() == 1
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})   # unknown: no change
    assert MailPreference.objects.get(employee=cast.employee).language == "en"


def test_switching_the_language_signed_out_only_sets_the_cookie(client, cast):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and not MailPreference.objects.exists()


# ---------------------------------------------------------------- no call site passes an eagerly translated string

NOTIFYING = {"notify", "notify_many", "alert_hr_once", "tell_principal", "_notify_expected", "Due", "Waiting", "Message", "Lines",
             "Verbatim"}
EAGER = {"_", "gettext", "ngettext", "pgettext"}


def _eager_names(tree: ast.Module) -> set[str]:
    """The names this module binds to Django's eager gettext functions (`gettext as _` …)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            found |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
    return found


def _is_eager(node: ast.AST, eager: set[str], assigned: dict[str, ast.AST], depth: int = 0) -> bool:
    """An expression that is (or is built by %-formatting) a call of an eager gettext, directly or via a variable."""
    if depth > 5:
        return False
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in eager:
        return True
    if isinstance(node, ast.BinOp):
        return _is_eager(node.left, eager, assigned, depth + 1) or _is_eager(node.right, eager, assigned, depth + 1)
    if isinstance(node, ast.IfExp):
        return _is_eager(node.body, eager, assigned, depth + 1) or _is_eager(node.orelse, eager, assigned, depth + 1)
    if isinstance(node, ast.JoinedStr):
        return any(_is_eager(part.value, eager, assigned, depth + 1) for part in node.values if isinstance(part, ast.FormattedValue))
    if isinstance(node, ast.Name) and node.id in assigned:
        return _is_eager(assigned[node.id], eager, assigned, depth + 1)
    return False


def _eager_arguments(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    eager = _eager_names(tree)
    problems = []
    for function in [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]:
        assigned = {target.id: node.value for node in ast.walk(function) if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
        for call in [node for node in ast.walk(function) if isinstance(node, ast.Call)]:
            name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
            if name not in NOTIFYING:
                continue
            arguments = [*call.args, *(keyword.value for keyword in call.keywords if keyword.arg in (None, "subject", "body", "text"))]
            if name in {"Due", "Waiting"}:
                arguments = [keyword.value for keyword in call.keywords if keyword.arg in ("subject", "body", "text")]
            for argument in arguments:
                nested = [argument, *(element for element in ast.walk(argument) if isinstance(element, (ast.Tuple, ast.List)))]
                if any(_is_eager(item, eager, assigned) for node in nested
                       for item in (node.elts if isinstance(node, (ast.Tuple, ast.List)) else [node])):
                    problems.append(f"{path.relative_to(ROOT)}:{call.lineno} {name}(…) gets an eagerly translated string")
    return problems


def test_no_call_site_passes_an_eagerly_translated_string():
    sources = [path for app in ("opsdept", "attendance", "leave", "worklog", "meetings", "duty", "discipline")
               for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]
    problems = [problem for path in sources for problem in _eager_arguments(path)]
    assert not problems, "\n".join(problems)


def test_the_scan_finds_an_eager_string(tmp_path):
    """The scan above would catch the old way of writing it (it can fail)."""
    sample = ROOT / "opsdept" / "_scan_sample_for_test.py"
    sample.write_text(
        "from django.utils.translation import gettext as _\n"
        "def tell(person, day):\n"
        "    subject = _('Your leave from %(day)s was approved') % {'day': day}\n"
        "    notify(person, subject=subject)\n"
        "    notify_many([(person, _('Attendance notice'), '', '/')])\n", encoding="utf-8")
    try:
        assert len(_eager_arguments(sample)) == 2
    finally:
        sample.unlink()
