from django.apps import AppConfig
from django.apps.registry import Apps
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = _("Discipline")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from opsdept import registries

        from . import demo
        from .exports import RewardPenaltyColumns

        # Like Django's content types: a flushed database (a transactional test) gets the policy's rules back.
        post_migrate.connect(seed_policy_rules, sender=self)
        registries.export_columns.register("discipline.money", RewardPenaltyColumns(), order=90)
        registries.chat_events.register("discipline.notice", _("A notice is published (通报)"), order=10)
        from django.urls import reverse

        from .models import Appeal
        from .services import describe_appeal

        # An appeal pending more than HR's workdays goes a level up (the manager's: to HR), like every request.
        registries.escalations.register("discipline.appeal", registries.Escalation(
            model=Appeal, describe=describe_appeal, related=("employee", "record", "record__rule"), starts=None,
            url=lambda appeal: reverse("discipline:appeal_detail", kwargs={"pk": appeal.pk})), order=50)
        registries.dashboard_cards.register("discipline", registries.DashboardCard("discipline/_dashboard.html"), order=90)
        # Whom a supervisor rewards or penalises, or records a campaign miss for: their active team, never themself.
        from opsdept import permissions

        def active_team(user):
            return permissions.team_employees(user).filter(is_active=True)

        registries.employee_pickers.register("discipline-record", registries.PickerScope("record.issue", active_team))
        registries.employee_pickers.register("discipline-campaign-miss",
                                             registries.PickerScope("campaign_miss.record", active_team))
        # Discipline's demo records cite the other chapters' demo days: it seeds last.
        registries.demo_seeders.register("discipline", registries.DemoSeeder(demo.seed), order=90)

        from opsdept import durability

        from .models import Appeal, CampaignMiss, Flag, FlagExplanation, PolicyAcknowledgement, PolicyVersion, Record
        durability.protect(Flag, Record, Appeal, PolicyAcknowledgement, FlagExplanation, CampaignMiss, PolicyVersion)


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
