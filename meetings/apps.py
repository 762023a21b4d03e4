from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Meetings sit at the top: they plug into opsdept's extension points, nobody imports them.
        from .registrations import register

        register()

        from opsdept import durability

        from .models import ActionItem, Meeting, MeetingAttendance, MemberReport, Minutes, MinutesVersion
        durability.protect(Meeting, MeetingAttendance, Minutes, MinutesVersion, MemberReport, ActionItem)
