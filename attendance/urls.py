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
    path("corrections/<int:pk>/cancel/", views.correction_cancel, name="correction_cancel"),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="correction_decide"),
    path("overtime/", views.overtime, name="overtime"),
    path("overtime/<int:pk>/cancel/", views.overtime_cancel, name="overtime_cancel"),
    path("overtime/<int:pk>/decide/", views.overtime_decide, name="overtime_decide"),
    path("approvals/", views.approvals, name="approvals"),
    path("export/", views.export_month, name="export"),
    path("import/", views.import_upload, name="import"),
    path("settings/", views.settings_edit, name="settings"),
    path("comp-time/", views.comp_time, name="comp_time"),
    path("comp-time/<int:pk>/adjust/", views.comp_time_adjust, name="comp_time_adjust"),
]
