"""Factories for the discipline chapter."""

from datetime import date
import uuid

import factory

from discipline.models import Flag, Kind, Record, Rule


def rule(code: str) -> Rule:
    return Rule.objects.get(code=code)


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    date = date(2026, 11, 2)
    rule = factory.LazyFunction(lambda: rule("missing-report"))
    details = "no report"


class RecordFactory(factory.django.DjangoModelFactory):
    """A record written directly (tests of reading pages); services are tested through issue_record."""

    class Meta:
        model = Record

    rule = factory.LazyFunction(lambda: rule("same-day-unfinished"))
    kind = Kind.FINE
    amount = factory.LazyAttribute(lambda o: None if o.kind not in (Kind.FINE, Kind.BONUS, Kind.BONUS_DEDUCTION) else 50)
    evidence = "证据"
    effective_on = factory.LazyFunction(lambda: date.today())
    token = factory.LazyFunction(uuid.uuid4)
