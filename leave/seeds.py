"""The leave types the department starts with; the data migration and the tests both create them from here."""

# code, 中文, English, paid, attachment required, deducts annual balance
SEED_TYPES = [
    ("personal", "事假", "Personal leave", False, False, False),
    ("sick", "病假", "Sick leave", True, True, False),
    ("annual", "年假", "Annual leave", True, False, True),
    ("compensatory", "调休", "Compensatory time off", True, False, False),
    ("marriage", "婚假", "Marriage leave", True, False, False),
    ("bereavement", "丧假", "Bereavement leave", True, False, False),
    ("maternity", "产假", "Maternity leave", True, True, False),
    ("paternity", "陪产假", "Paternity leave", True, False, False),
]


def seed_leave_types(leave_type_model) -> None:
    """Create the missing seed types (idempotent; existing rows, maybe edited by HR, are left alone)."""
    for order, (code, name, name_en, paid, attachment, annual) in enumerate(SEED_TYPES, start=1):
        leave_type_model.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "is_paid": paid, "requires_attachment": attachment,
            "deducts_annual_balance": annual, "sort_order": order,
        })
