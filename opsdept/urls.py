from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import approval_views, chat_views, pwa, views
from .auth_views import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    # Browsers ask for /favicon.ico on their own, whatever the page's <link rel="icon"> says.
    path("favicon.ico", pwa.favicon, name="favicon"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # the language switch also saves a signed-in person's choice (their e-mails follow it)
    path("i18n/setlang/", approval_views.set_language, name="set_language"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.employee_create, name="employee_create"),
    path("people/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("people/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("people/<int:pk>/deactivate/", views.employee_deactivate, name="employee_deactivate"),
    path("people/<int:pk>/reactivate/", views.employee_reactivate, name="employee_reactivate"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/override/", views.calendar_override_set, name="calendar_override_set"),
    path("calendar/override/<str:day>/remove/", views.calendar_override_remove, name="calendar_override_remove"),
    path("calendar/schedule/", views.schedule_edit, name="schedule_edit"),
    path("calendar/confirm-year/", views.calendar_year_confirm, name="calendar_year_confirm"),
    path("nightly/", views.nightly_runs, name="nightly_runs"),
    path("audit/", views.audit_list, name="audit_list"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("deputies/", approval_views.deputy_list, name="deputy_list"),
    path("deputies/<int:pk>/cancel/", approval_views.deputy_cancel, name="deputy_cancel"),
    path("approvals/settings/", approval_views.approval_settings, name="approval_settings"),
    path("reminders/", approval_views.reminder_choices, name="reminder_choices"),
    path("reminders/defaults/", approval_views.reminder_defaults, name="reminder_defaults"),
    path("mail/", approval_views.mail_preferences, name="mail_preferences"),
    path("mail/unsubscribe/<str:token>/", approval_views.mail_unsubscribe, name="mail_unsubscribe"),
    path("chat/", chat_views.chat_list, name="chat_list"),
    path("chat/<int:pk>/", chat_views.chat_detail, name="chat_detail"),
    path("chat/<int:pk>/test/", chat_views.chat_test, name="chat_test"),
    path("outbox/", chat_views.outbox_list, name="outbox_list"),
    path("outbox/<int:pk>/retry/", chat_views.outbox_retry, name="outbox_retry"),
    path("attendance/", include("attendance.urls")),
    path("leave/", include("leave.urls")),
    path("meetings/", include("meetings.urls")),
    path("duty/", include("duty.urls")),
    path("worklog/", include("worklog.urls")),
    path("discipline/", include("discipline.urls")),
]
