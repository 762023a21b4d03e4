"""A published duty roster goes to the group robots that chose it (registries.chat_events "duty.roster");
the names of those in charge only where HR allows personal data."""

from opsdept import chat, registries
from opsdept.models import ChatWebhook, WebhookDelivery

from .conftest import national_day_roster


def test_a_published_roster_goes_to_the_robots_that_chose_it_names_only_where_allowed(cast, settings):
    settings.CHAT_WEBHOOK_TEST_PREFIXES = ["http://127.0.0.1:9/"]
    assert "duty.roster" in registries.chat_events
    plain = chat.add_webhook(actor=cast.hr.user, name="值班群", vendor=ChatWebhook.Vendor.WECOM,
                             url="http://127.0.0.1:9/cgi-bin/webhook/send?key=a", events=["duty.roster"])
    named = chat.add_webhook(actor=cast.hr.user, name="主管群", vendor=ChatWebhook.Vendor.WECOM,
                             url="http://127.0.0.1:9/cgi-bin/webhook/send?key=b", events=["duty.roster"],
                             include_personal_data=True)
    chat.add_webhook(actor=cast.hr.user, name="纪要群", vendor=ChatWebhook.Vendor.WECOM,
                     url="http://127.0.0.1:9/cgi-bin/webhook/send?key=c", events=["meetings.minutes"])
    roster = national_day_roster(cast)
    by_robot = {delivery.webhook_id: delivery.text for delivery in WebhookDelivery.objects.filter(event="duty.roster")}
    assert set(by_robot) == {plain.pk, named.pk}
    assert roster.period.name in by_robot[plain.pk]
    in_charge = roster.days.select_related("responsible").first().responsible.name
    assert in_charge not in by_robot[plain.pk] and in_charge in by_robot[named.pk]
