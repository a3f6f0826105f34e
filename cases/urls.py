from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("cases/workbench/", views.workbench, name="workbench"),
    path("cases/workbench/new/", views.register, name="register"),
    path("cases/workbench/<key:case_no>/", views.case_detail, name="case"),
    path("cases/workbench/<key:case_no>/receipt/", views.receipt, name="receipt"),
    path("cases/workbench/<key:case_no>/<slug:action>/", views.act, name="act"),
]
