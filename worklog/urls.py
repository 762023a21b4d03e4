from django.urls import path

from . import views

app_name = "worklog"
urlpatterns = [
    path("reports/", views.my_reports, name="my_reports"),
    path("reports/today/", views.report_today, name="report_today"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("team/reports/", views.team_reports, name="team_reports"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/feedback/", views.task_feedback, name="task_feedback"),
    path("team/tasks/", views.team_tasks, name="team_tasks"),
]
