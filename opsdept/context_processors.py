from django.http import HttpRequest

from . import permissions


def current_employee(request: HttpRequest) -> dict:
    """Expose the signed-in employee (or None) to every template as `me`."""
    return {"me": permissions.employee_of(request.user)}
