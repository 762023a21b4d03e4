from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = _("Discipline")

    def ready(self) -> None:
        from attendance import registry

        from .exports import RewardPenaltyColumns

        if not any(isinstance(provider, RewardPenaltyColumns) for provider in registry.export_columns):
            registry.export_columns.append(RewardPenaltyColumns())
