from django.apps import AppConfig
from django.apps.registry import Apps
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = _("Discipline")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from attendance import registry

        # Like Django's content types: a flushed database (a transactional test) gets the policy's rules back.
        post_migrate.connect(seed_policy_rules, sender=self)

        from .exports import RewardPenaltyColumns

        if not any(isinstance(provider, RewardPenaltyColumns) for provider in registry.export_columns):
            registry.export_columns.append(RewardPenaltyColumns())


def seed_policy_rules(sender: AppConfig, *, apps: Apps | None = None, **kwargs) -> None:
    """Create the policy's rules that are missing after `migrate` or `flush` (never changes existing ones)."""
    from .rules import ensure_seeded

    if apps is None:  # `flush` sends no migration state: use the installed models
        from django.apps import apps
    try:
        rule_model = apps.get_model("discipline", "Rule")
    except LookupError:  # migrated backwards past the table
        return
    ensure_seeded(rule_model)
