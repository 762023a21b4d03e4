"""The permission matrix: role × route → HTTP status, for every route of an app.

Each app's tests/<app>/test_permissions.py lists its routes in a dict
    MATRIX = {"route_name": Route(kwargs=..., method="get", expect={role: status, ...})}
and calls `assert_covers(namespace, MATRIX)` so that a route missing from
the matrix fails. Roles are the cast's: anonymous, employee, supervisor,
other_supervisor, outsider, hr, manager, clerk. A role left out of `expect`
falls back to `default`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ["anonymous", "employee", "supervisor", "other_supervisor", "outsider", "hr", "manager", "clerk"]


@dataclass
class Route:
    expect: dict[str, int]
    kwargs: Callable[[Any], dict] | None = None     # cast -> URL kwargs (objects created on the fly)
    method: str = "get"
    data: Callable[[Any], dict] | None = None       # cast -> POST data
    default: int | None = None

    def status_for(self, role: str) -> int:
        if role == "anonymous" and "anonymous" not in self.expect:
            return 302  # to the login page
        if role in self.expect:
            return self.expect[role]
        if self.default is None:
            raise KeyError(f"no expected status for {role}")
        return self.default


def route_names(namespace: str | None) -> set[str]:
    """All named routes in `namespace` (None: the project's own, un-namespaced ones)."""
    names: set[str] = set()

    def walk(patterns, current: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or current)
            elif isinstance(pattern, URLPattern) and pattern.name and current == namespace:
                names.add(pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def assert_covers(namespace: str | None, matrix: dict[str, Route], ignore: set[str] = frozenset()) -> None:
    missing = route_names(namespace) - set(matrix) - set(ignore)
    assert not missing, f"routes missing from the permission matrix: {sorted(missing)}"


def cases(matrix: dict[str, Route]) -> list[tuple[str, str]]:
    return [(name, role) for name in matrix for role in ROLES]


def request_route(client, cast, namespace: str | None, name: str, route: Route, role: str):
    from django.urls import reverse

    employee = cast.by_role(role)
    if employee is not None:
        client.force_login(employee.user)
    kwargs = route.kwargs(cast) if route.kwargs else {}
    url = reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs)
    if route.method == "post":
        return client.post(url, route.data(cast) if route.data else {})
    return client.get(url)


def name_decider(cast):
    """HR names 林记录 (staff: neither HR nor a supervisor) to decide the manager's own requests and appeals."""
    from opsdept.models import ApprovalSettings

    settings = ApprovalSettings.current()
    settings.top_approver = cast.clerk
    settings.save(update_fields=["top_approver"])
    return cast.clerk


def assert_route(client, cast, namespace: str | None, matrix: dict[str, Route], name: str, role: str) -> None:
    """Request `matrix[name]` as `role` and check its status."""
    route = matrix[name]
    response = request_route(client, cast, namespace, name, route, role)
    assert response.status_code == route.status_for(role), (name, role)
