from django.urls import path

from . import views

app_name = "discipline"
urlpatterns = [
    path("flags/", views.flag_list, name="flag_list"),
    path("flags/<int:pk>/", views.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
    path("flags/<int:pk>/explain/", views.flag_explain, name="flag_explain"),
    path("flags/<int:pk>/accept/", views.flag_accept, name="flag_accept"),
    path("flags/<int:pk>/explanation-file/", views.flag_explanation_file, name="flag_explanation_file"),
    path("flags/<int:pk>/record/", views.flag_record, name="flag_record"),
    path("records/", views.record_list, name="record_list"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/reverse/", views.record_reverse, name="record_reverse"),
    path("records/<int:pk>/appeal/", views.record_appeal, name="record_appeal"),
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("notices/", views.notice_board, name="notice_board"),
    path("campaign-misses/", views.campaign_miss_list, name="campaign_miss_list"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("settings/", views.settings_edit, name="settings_edit"),
    path("policy/", views.policy_handbook, name="policy"),
    path("policy/publish/", views.policy_publish, name="policy_publish"),
    path("policy/<int:pk>/acknowledge/", views.policy_acknowledge, name="policy_acknowledge"),
    path("policy/acknowledgements/", views.policy_acknowledgements, name="policy_acknowledgements"),
    path("year-end/", views.year_end, name="year_end"),
]
