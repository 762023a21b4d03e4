"""Shared by the production smoke test and the bad-input sweep: every page of every
permission matrix (so chapters added later are covered by themselves), and the
forms those pages show, parsed and filled in the way a person would."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import import_module
from urllib.parse import urljoin

from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.matrix import ROLES, Route

SKIP_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


def namespaces() -> list[str | None]:
    found: set[str | None] = {None}

    def walk(patterns) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace:
                    found.add(pattern.namespace)
                walk(pattern.url_patterns)

    walk(get_resolver().url_patterns)
    return sorted(found - {"admin"}, key=str)


def matrices() -> list[tuple[str | None, str, Route]]:
    """(namespace, route name, route) for every route of every app's permission matrix."""
    rows = []
    for namespace in namespaces():
        try:
            module = import_module(f"tests.{namespace or 'opsdept'}.test_permissions")
        except ModuleNotFoundError:
            continue
        rows += [(namespace, name, route) for name, route in module.MATRIX.items()]
    return rows


def url_of(cast, namespace: str | None, name: str, route: Route) -> str:
    kwargs = route.kwargs(cast) if route.kwargs else {}
    return reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs)


def try_url_of(cast, namespace: str | None, name: str, route: Route) -> str | None:
    """url_of, or None when the matrix's object builder (written for one use per test) collides."""
    from django.db import IntegrityError, transaction

    try:
        with transaction.atomic():
            return url_of(cast, namespace, name, route)
    except IntegrityError:
        return None


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)   # name -> [(type, value)]
    options: dict[str, list[str]] = field(default_factory=dict)              # select name -> option values
    required: set[str] = field(default_factory=set)                          # fields marked required

    @property
    def has_file(self) -> bool:
        return any(kind == "file" for values in self.fields.values() for kind, _ in values)

    def filled(self) -> dict[str, object]:
        """A plausible submission: defaults kept, blanks filled, the first real option chosen."""
        today = timezone.localdate()
        data: dict[str, object] = {}
        for name, values in self.fields.items():
            kind, value = values[0]
            if kind in {"submit", "button", "file", "reset", "image"}:
                continue
            if kind == "select":
                choices = [option for option in self.options.get(name, []) if option]
                data[name] = value or (choices[0] if choices else "")
            elif kind in {"checkbox", "radio"}:
                checked = [v for k, v in values if k.endswith(":checked")]
                if checked:
                    data[name] = checked[0]
                elif kind == "radio":
                    data[name] = value
            elif value:
                data[name] = value
            elif kind == "date":
                data[name] = today.isoformat()
            elif kind == "month":
                data[name] = today.strftime("%Y-%m")
            elif kind == "time":
                data[name] = "09:00"
            elif kind == "number":
                data[name] = "1"
            elif kind == "email":
                data[name] = "smoke@example.com"
            elif kind == "password":
                data[name] = "Smoke-Test-Pass-2026!"
            else:
                data[name] = "冒烟测试"
        return data


class FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {key: (value or "") for key, value in attrs}
        if tag == "option" and self.current is not None and self.select:
            value = a.get("value", "")
            self.current.options[self.select].append(value)
            if "selected" in a:
                self.current.fields[self.select][0] = ("select", value)
            return
        if tag == "form":
            self.current = Form(action=urljoin(self.page_url, a.get("action") or self.page_url),
                                method=(a.get("method") or "get").lower(), enctype=a.get("enctype", ""))
            self.forms.append(self.current)
            return
        if self.current is None or not a.get("name"):
            return
        name = a["name"]
        if "required" in a:
            self.current.required.add(name)
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and "checked" in a:
                self.current.fields.setdefault(name, []).append((f"{kind}:checked", a.get("value", "on")))
            self.current.fields.setdefault(name, []).append((kind, a.get("value", "")))
        elif tag == "select":
            self.select = name
            self.current.fields.setdefault(name, []).append(("select", ""))
            self.current.options.setdefault(name, [])
        elif tag == "textarea":
            self.textarea = name
            self.current.fields.setdefault(name, []).append(("textarea", ""))

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.current is not None and self.textarea and data.strip():
            kind, _ = self.current.fields[self.textarea][0]
            self.current.fields[self.textarea][0] = (kind, data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None



def post_forms(html: str, page_url: str) -> list[Form]:
    """The POST forms on a page, except logging out and switching language."""
    parser = FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post"
            and not any(form.action.endswith(skip) or skip in form.action for skip in SKIP_ACTIONS)]


__all__ = ["ROLES", "Form", "matrices", "namespaces", "post_forms", "try_url_of", "url_of"]
