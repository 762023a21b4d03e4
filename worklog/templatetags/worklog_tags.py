from django import template

from worklog import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def worklog_card(context: template.Context) -> selectors.DashboardCard | None:
    """`{% worklog_card as card %}`: today's report and tasks for the home page card."""
    return selectors.dashboard_for(context["request"].user)
