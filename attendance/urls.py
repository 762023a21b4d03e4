from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("", views.punch, name="punch"),
    path("month/", views.my_month, name="my_month"),
    path("people/<int:pk>/month/", views.employee_month, name="employee_month"),
    path("team/today/", views.team_today, name="team_today"),
    path("team/month/", views.team_month, name="team_month"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction_detail"),
    path("corrections/<int:pk>/cancel/", views.correction_cancel, name="correction_cancel"),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="correction_decide"),
    path("overtime/", views.overtime, name="overtime"),
    path("overtime/<int:pk>/", views.overtime_detail, name="overtime_detail"),
    path("overtime/<int:pk>/cancel/", views.overtime_cancel, name="overtime_cancel"),
    path("overtime/<int:pk>/decide/", views.overtime_decide, name="overtime_decide"),
    path("approvals/", views.approvals, name="approvals"),
    path("export/", views.export_month, name="export"),
    path("import/", views.import_upload, name="import"),
    path("settings/", views.settings_edit, name="settings"),
    path("confirm/", views.confirm, name="confirm"),
    path("confirm/ok/", views.month_confirm, name="month_confirm"),
    path("confirm/dispute/", views.day_dispute, name="day_dispute"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("confirmations/open/", views.confirmation_open, name="confirmation_open"),
    path("confirmations/remind/", views.confirmation_remind, name="confirmation_remind"),
    path("confirmations/lock/", views.month_lock, name="month_lock"),
    path("disputes/<int:pk>/resolve/", views.dispute_resolve, name="dispute_resolve"),
    path("confirmations/locked-punch/", views.locked_punch, name="locked_punch"),
    path("comp-time/", views.comp_time, name="comp_time"),
    path("comp-time/<int:pk>/adjust/", views.comp_time_adjust, name="comp_time_adjust"),
]
