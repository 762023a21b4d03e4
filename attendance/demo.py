"""Demo data for the attendance chapter, loaded by `manage.py seed_demo` (idempotent)."""

from django.core.management.base import OutputWrapper


def seed(stdout: OutputWrapper) -> None:
    """Nothing yet for this chapter."""
