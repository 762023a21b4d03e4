"""The monthly attendance export's reward and penalty columns (registered in DisciplineConfig.ready)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from . import selectors


class RewardPenaltyColumns:
    """奖励金额 and 处罚金额: the month's money rewards and penalties, net of reversals."""

    def headers(self) -> list[str]:
        return [_("Reward amount"), _("Penalty amount")]

    def values(self, employee_ids: Iterable[int] | None, start: date, end: date) -> dict[int, list[Decimal]]:
        ids = list(employee_ids) if employee_ids is not None else None
        totals = selectors.money_totals(ids, start, end)
        zero = Decimal("0.00")
        keys = ids if ids is not None else list(totals)
        return {pk: list(totals.get(pk, (zero, zero))) for pk in keys}
