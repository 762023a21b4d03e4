from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_call, name="call"),
    path("settings/", views.meeting_settings, name="settings"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/move/", views.meeting_move, name="move"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/check-in/", views.meeting_checkin, name="checkin"),
    path("<int:pk>/qr/", views.meeting_qr, name="qr"),
    path("<int:pk>/qr-check-in/", views.meeting_qr_checkin, name="qr_checkin"),
    path("<int:pk>/mark/", views.meeting_mark, name="mark"),
    path("<int:pk>/minutes/", views.minutes_view, name="minutes"),
    path("<int:pk>/minutes/edit/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/action-items/", views.action_item_add, name="action_item_add"),
    path("<int:pk>/minutes/publish/", views.minutes_publish, name="minutes_publish"),
    path("<int:pk>/minutes/v<int:number>/", views.minutes_version, name="minutes_version"),
    path("attendance/<int:pk>/explain/", views.attendance_explain, name="explain"),
    path("attendance/<int:pk>/acknowledge/", views.attendance_acknowledge, name="acknowledge"),
    path("calendar/", views.calendar_feed, name="feed"),
    path("calendar/reset/", views.calendar_feed_reset, name="feed_reset"),
    path("calendar/<str:token>.ics", views.calendar_ics, name="ics"),
]
