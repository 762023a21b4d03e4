"""The bad-input sweep: every POST form on every page of every permission matrix (so chapters added
later are swept by themselves), sent malformed, missing, oversized, out-of-range, with Unicode digits,
line breaks and extra fields, as each role: never a 5xx; a refused or empty submission writes nothing.
And every management command of ours with bad arguments: a clear error, never a traceback, nothing written."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command, get_commands

from tests.security.pages import matrices, post_forms, try_url_of

ROLES = ["employee", "supervisor", "hr", "manager"]
OUR_APPS = {"opsdept", "attendance", "leave", "worklog", "discipline", "meetings", "duty"}
NOT_COUNTED = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


def table_counts() -> dict[str, int]:
    return {model._meta.db_table: model._default_manager.count()
            for model in apps.get_models() if model._meta.managed and model._meta.db_table not in NOT_COUNTED}


def mutations(form) -> dict[str, dict]:
    base = form.filled()
    kinds = {name: values[0][0] for name, values in form.fields.items()}
    def each(transform):
        data = dict(base)
        for name, kind in kinds.items():
            if name != "csrfmiddlewaretoken" and kind != "hidden":
                value = transform(kind, base.get(name, ""))
                if value is not None:
                    data[name] = value
        return data

    return {
        "missing": {},
        "malformed": each(lambda kind, value: "%%garbage';--" if kind not in {"checkbox"} else None),
        "oversized": each(lambda kind, value: "长" * 20000),
        "out_of_range": each(lambda kind, value: {"date": "9999-12-31", "month": "0000-01", "number": "1" + "0" * 30,
                                                  "time": "25:61"}.get(kind, value)),
        "unicode_digits": each(lambda kind, value: {"date": "２０２６-０１-０２", "number": "²", "month": "٢٠٢٦-٠١",
                                                    "select": "١"}.get(kind, value)),
        "newline": each(lambda kind, value: f"第一行\r\n第二行\u2028{value}" if kind in {"text", "textarea"} else None),
        "extra": {**base, "status": "approved", "decided_by": "1", "employee_id": "1", "is_superuser": "on",
                  "amount": "999999999", "pk": "1"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_form_survives_bad_input(client, cast, role):
    client.force_login(cast.by_role(role).user)
    pages = [try_url_of(cast, namespace, name, route) for namespace, name, route in matrices() if route.method == "get"]
    errors, swept = [], 0
    for path in filter(None, pages):
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for form in post_forms(page.content.decode(), path):
            required = bool(form.required)
            dated = any(values[0][0] in {"date", "month"} for values in form.fields.values())
            for label, data in mutations(form).items():
                before = table_counts()
                response = client.post(form.action, data)
                swept += 1
                if response.status_code >= 500:
                    errors.append((path, form.action, label, response.status_code))
                elif ((label == "missing" and required) or (label == "out_of_range" and dated)) \
                        and table_counts() != before:
                    changed = {t: (before[t], n) for t, n in table_counts().items() if before.get(t) != n}
                    errors.append((path, form.action, label, "wrote rows", changed))
                if "sessionid" not in client.cookies:
                    client.force_login(cast.by_role(role).user)
    assert swept > 20
    assert not errors, errors


BAD_ARGUMENTS = [
    ["--no-such-option"],
    ["/nonexistent/file.csv"],
    ["--date", "9999-12-31"], ["--date", "0001-01-01"], ["--date", "２０２６-01-01"],
    ["--from", "2026-05-01", "--to", "2026-01-01"],
    ["--month", "0000-01", "--output", "/tmp/x.csv"], ["--month", "9999-12", "--output", "/tmp/x.csv"],
    ["--month", "2026-01", "--output", "/nonexistent/dir/x.csv"],
    ["--output-dir", "/proc/forbidden"],
]


def our_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app.split(".")[-1] in OUR_APPS)


@pytest.mark.django_db
@pytest.mark.parametrize("command", our_commands())
def test_every_command_refuses_bad_arguments_cleanly(cast, command):
    for arguments in BAD_ARGUMENTS:
        before = table_counts()
        try:
            call_command(command, *arguments, stdout=StringIO(), stderr=StringIO())
        except CommandError as error:
            assert str(error).strip(), (command, arguments)
        except SystemExit as exit_:
            assert exit_.code not in (0, None), (command, arguments)
        else:
            pytest.fail(f"{command} {' '.join(arguments)} was accepted")
        assert table_counts() == before, (command, arguments)
