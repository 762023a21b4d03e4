from django.urls import path

from . import views

app_name = "leave"
urlpatterns = [
    path("", views.my_requests, name="my_requests"),
    path("new/", views.request_new, name="request_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/slip/", views.slip, name="slip"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/end-early/", views.end_early, name="end_early"),
    path("<int:pk>/written/", views.written_slip, name="written_slip"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("pending/", views.pending, name="pending"),
    path("emergency/new/", views.emergency_new, name="emergency_new"),
    path("calendar/", views.team_calendar, name="team_calendar"),
    path("balances/", views.balances, name="balances"),
    path("balances/<int:employee_pk>/adjust/", views.balance_adjust, name="balance_adjust"),
    path("types/", views.types, name="types"),
    path("types/new/", views.type_edit, name="type_new"),
    path("types/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("settings/", views.settings_save, name="settings"),
    path("trips/", views.trips, name="trips"),
    path("trips/<int:pk>/", views.trip_detail, name="trip_detail"),
    path("trips/<int:pk>/approve/", views.trip_approve, name="trip_approve"),
    path("trips/<int:pk>/reject/", views.trip_reject, name="trip_reject"),
    path("trips/<int:pk>/cancel/", views.trip_cancel, name="trip_cancel"),
]
