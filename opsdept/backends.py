"""opsdept: the sign-in backend, which reads a signed-in user's employee with the user."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmployeeBackend(ModelBackend):
    """Django's ModelBackend, whose `get_user` (once per request, for the session's user) also reads the user's
    Employee and its department in the same query, so `permissions.employee_of` needs no query of its own.

    Issue 16: every signed-in page read the user and then the employee, two round trips for one row each.
    """

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("employee__department").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
