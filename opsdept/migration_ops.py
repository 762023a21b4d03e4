"""Migration steps the chapters share when "who did it" moves from a login (User) to an Employee.

Frozen migrations import these: change them only in ways old migrations still mean.

A field moves in three migrations, so that PostgreSQL never alters a table with
pending deferred-constraint checks from the rows just updated:

1. `add_employee_twin(model, field)` beside the User foreign key;
2. `CopyUsersToEmployees(app_label, [(model, user_field, twin_field), ...])` fills it;
3. remove the User field, rename the twin into its place, set its final shape.

Every row is kept: a row whose login has no employee record stops the migration
with the ids to fix, rather than losing who did it.
"""

from collections.abc import Sequence

from django.db import migrations, models


def add_employee_twin(model_name: str, field_name: str) -> migrations.AddField:
    """A nullable Employee foreign key named `<field_name>_employee`, filled by CopyUsersToEmployees."""
    return migrations.AddField(
        model_name=model_name,
        name=f"{field_name}_employee",
        field=models.ForeignKey(
            "opsdept.employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        ),
    )


def CopyUsersToEmployees(app_label: str, fields: Sequence[tuple[str, str, str]]) -> migrations.RunPython:
    """Copy each (model, user field, employee field) from the login to its employee, and back on reverse."""

    def forward(apps, schema_editor) -> None:
        user_to_employee = dict(apps.get_model("opsdept", "Employee").objects.values_list("user_id", "pk"))
        for model_name, user_field, employee_field in fields:
            _copy(apps.get_model(app_label, model_name), user_field, employee_field, user_to_employee)

    def backward(apps, schema_editor) -> None:
        employee_to_user = dict(apps.get_model("opsdept", "Employee").objects.values_list("pk", "user_id"))
        for model_name, user_field, employee_field in fields:
            _copy(apps.get_model(app_label, model_name), employee_field, user_field, employee_to_user)

    return migrations.RunPython(forward, backward)


def _copy(model: type[models.Model], source: str, target: str, mapping: dict[int, int]) -> None:
    rows = model.objects.filter(**{f"{source}__isnull": False})
    sources = set(rows.values_list(f"{source}_id", flat=True))
    missing = sorted(sources - set(mapping))
    if missing:
        raise RuntimeError(
            f"{model._meta.label}.{source}: no matching person for ids {missing}; "
            "give those logins an employee record, then migrate again."
        )
    for source_id in sources:
        rows.filter(**{f"{source}_id": source_id}).update(**{f"{target}_id": mapping[source_id]})
