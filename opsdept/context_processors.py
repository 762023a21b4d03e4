from django.http import HttpRequest

from . import permissions


def current_employee(request: HttpRequest) -> dict:
    """Expose the signed-in employee (or None) to every template as `me`."""
    me = permissions.employee_of(request.user)
    unread = me.notifications.filter(read_at__isnull=True).count() if me is not None else 0
    return {"me": me, "unread_notifications": unread}
