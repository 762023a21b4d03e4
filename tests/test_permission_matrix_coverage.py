"""Every route of every app stands in some permission matrix (role × route → status)."""

from importlib import import_module

from django.urls import URLResolver, get_resolver

from tests.matrix import route_names



def namespaces() -> set[str | None]:
    found: set[str | None] = {None}

    def walk(patterns) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace:
                    found.add(pattern.namespace)
                walk(pattern.url_patterns)

    walk(get_resolver().url_patterns)
    return found


def test_every_namespace_with_routes_has_a_complete_matrix():
    for namespace in sorted(namespaces(), key=str):
        names = route_names(namespace)
        if not names or namespace in {"admin"}:
            continue
        module = import_module(f"tests.{namespace or 'opsdept'}.test_permissions")
        missing = names - set(module.MATRIX)
        assert not missing, f"{namespace}: routes missing from the permission matrix: {sorted(missing)}"
