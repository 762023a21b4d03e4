"""How the register's pages and the export columns scale with the number of records (prints numbers)."""

from datetime import date
from decimal import Decimal
import time
import uuid

from django.urls import reverse

from discipline.exports import RewardPenaltyColumns
from discipline.models import Kind, Record, Rule


def test_register_pages_and_export_columns(client, cast, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rule = Rule.objects.get(code="same-day-unfinished")
    client.force_login(cast.manager.user)
    people = [cast.employee, cast.clerk, cast.outsider]
    for size in (100, 1000, 5000):
        missing = size - Record.objects.count()
        Record.objects.bulk_create([
            Record(employee=people[n % 3], rule=rule, kind=Kind.PUBLIC_CRITICISM if n % 2 else Kind.FINE,
                   amount=None if n % 2 else Decimal("50"), evidence="bench", issued_by=cast.supervisor,
                   effective_on=date(2026, 11, 1 + n % 28), token=uuid.uuid4())
            for n in range(missing)
        ])
        for name in ("discipline:record_list", "discipline:notice_board", "discipline:year_end"):
            started = time.perf_counter()
            client.get(reverse(name))
            print(f"{size:>5} records  {name:<28} {1000 * (time.perf_counter() - started):7.1f} ms")
        started = time.perf_counter()
        RewardPenaltyColumns().values(None, date(2026, 11, 1), date(2026, 11, 30))
        print(f"{size:>5} records  {'export columns (month)':<28} {1000 * (time.perf_counter() - started):7.1f} ms")
