from django.urls import path

from . import views

app_name = "duty"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_duty, name="mine"),
    path("periods/declare/", views.period_declare, name="period_declare"),
    path("periods/compensation/", views.period_compensation, name="period_compensation"),
    path("rosters/new/", views.roster_create, name="roster_create"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster_detail"),
    path("rosters/<int:pk>/fill/", views.roster_fill, name="roster_fill"),
    path("rosters/<int:pk>/publish/", views.roster_publish, name="roster_publish"),
    path("days/<int:pk>/", views.roster_day, name="roster_day"),
    path("days/<int:pk>/log/", views.log_write, name="log_write"),
    path("shifts/<int:pk>/swap/", views.swap_request, name="swap_request"),
    path("swaps/<int:pk>/", views.swap_detail, name="swap_detail"),
    path("swaps/<int:pk>/accept/", views.swap_accept, name="swap_accept"),
    path("swaps/<int:pk>/decline/", views.swap_decline, name="swap_decline"),
    path("swaps/<int:pk>/withdraw/", views.swap_withdraw, name="swap_withdraw"),
    path("swaps/<int:pk>/approve/", views.swap_approve, name="swap_approve"),
    path("swaps/<int:pk>/reject/", views.swap_reject, name="swap_reject"),
]
